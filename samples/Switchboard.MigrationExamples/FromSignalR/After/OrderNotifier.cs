namespace Switchboard.MigrationExamples.FromSignalR.After;

/// <summary>Server code outside the hub, after the migration: <see cref="ISignals"/> instead of <c>IHubContext</c>.</summary>
public sealed class OrderNotifier(ISignals signals)
{
    // Clients.User(userId): every window of that user, on every node.
    public Task ShippedAsync(string userId, int orderId, CancellationToken cancellationToken = default) =>
        signals.CallAsync(new WindowInfo { UserId = userId, IsAuthenticated = true }, "orders.shipped",
                          to: [Destination.User], kwargs: new { orderId }, cancellationToken: cancellationToken);
}
