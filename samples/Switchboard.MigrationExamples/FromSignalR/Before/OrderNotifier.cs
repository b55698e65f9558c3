using Microsoft.AspNetCore.SignalR;

namespace Switchboard.MigrationExamples.FromSignalR.Before;

/// <summary>Server code outside the hub, before the migration: <c>IHubContext</c>.</summary>
public sealed class OrderNotifier(IHubContext<ChatHub> hub)
{
    public Task ShippedAsync(string userId, int orderId, CancellationToken cancellationToken = default) =>
        hub.Clients.User(userId).SendAsync("orderShipped", new { orderId }, cancellationToken);
}
