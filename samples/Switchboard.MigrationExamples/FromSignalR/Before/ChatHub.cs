using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Switchboard.MigrationExamples.FromSignalR.Before;

/// <summary>The SignalR hub of docs/from-signalr.md, before the migration.</summary>
[Authorize]
public sealed class ChatHub : Hub
{
    public Task Join(string room) => Groups.AddToGroupAsync(Context.ConnectionId, "room:" + room);

    public Task Send(string room, string text) =>
        Clients.Group("room:" + room).SendAsync("message", new { room, text, from = Context.User?.Identity?.Name });

    public int Add(int a, int b) => a + b;
}
