using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Switchboard.Bench.SignalR;

/// <summary>Connection ids of this node, for targeted sends (sized once, like the Switchboard server's window set).</summary>
public sealed class Connections
{
    public ConcurrentDictionary<string, byte> Ids { get; } = new(Environment.ProcessorCount, BenchHost.WindowSetCapacity, StringComparer.Ordinal);
}

public sealed class BenchHub(Connections connections) : Hub
{
    public const string All = "all";

    public override async Task OnConnectedAsync()
    {
        connections.Ids.TryAdd(Context.ConnectionId, 0);
        await Groups.AddToGroupAsync(Context.ConnectionId, All);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Ids.TryRemove(Context.ConnectionId, out _);
        return Task.CompletedTask;
    }

    /// <summary>Round trip: invoke("Echo", i) completes with i.</summary>
    public long Echo(long i) => i;
}
