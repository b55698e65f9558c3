using System.Net;
using Switchboard.Redis.Internal;
using Switchboard.Redis.Tests.MultiProcess;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// The demo as separate processes on a 3-master Redis Cluster: two web nodes, a worker and a console emitter, with chat
/// rooms whose topics live on every shard. Each room's line posted on node B (a job the worker runs, then a publish)
/// reaches the room's window on node A; the slow job's progress and the emitter's broadcast come back too.
/// </summary>
[RedisCluster]
public sealed class ClusterDemoProcessesTests(RedisClusterFixture redis, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    [Fact]
    public async Task TwoWebNodesAWorkerAndAnEmitterWorkWithRoomsOnEveryShard()
    {
        var rooms = RoomsOnEveryShard();
        await using var cluster = new DemoCluster(redis.Configuration, redis.Prefix + "cluster-demo:", output);
        var (_, a, _, b, _) = await cluster.StartTwoWebNodesAndWorkerAsync("default,slow");

        var windows = new List<(string Room, TestWindow OnA, TestWindow OnB)>();
        foreach (var room in rooms)
        {
            windows.Add((room, await cluster.OpenWindowAsync(a, "/chat/" + room), await cluster.OpenWindowAsync(b, "/chat/" + room)));
        }
        foreach (var (room, onA, onB) in windows)
        {
            var line = $"{room} from B {Guid.NewGuid():N}";
            (await onB.CallAsync("demo.chat.post", new { room, text = line })).EnsureAccepted();
            var got = await onA.NextSignalAsync("demo.chat.message", o => o.Str("text") == line);
            Assert.Equal(room, got.GetProperty("opts").Str("room"));
            await onB.NextSignalAsync("demo.chat.message", o => o.Str("text") == line);
        }
        // No window hears another room's lines: each room's sharded channel carries its own.
        foreach (var (room, onA, _) in windows)
        {
            Assert.All(onA.Received.Where(f => f.IsSignal("demo.chat.message")), f => Assert.StartsWith(room + " ", f.Opts().Str("text"), StringComparison.Ordinal));
        }

        var first = windows[0].OnA;
        (await first.CallAsync("demo.slow", new { steps = 2 })).EnsureAccepted();
        await first.NextSignalAsync("demo.progress");
        await first.NextSignalAsync("df.notify");

        var broadcast = "x " + Guid.NewGuid().ToString("N")[..8];
        await cluster.EmitAsync("demo.broadcasted", "BROADCAST", JsonSerializer.Serialize(new { text = broadcast }));
        foreach (var (_, onA, onB) in windows)
        {
            await onA.NextSignalAsync("demo.broadcasted", o => o.Str("text") == broadcast);
            await onB.NextSignalAsync("demo.broadcasted", o => o.Str("text") == broadcast);
        }
    }

    /// <summary>Chat rooms until every master holds the topic of one (the demo's room topic is a record, key <see cref="DemoRoom.Key"/>).</summary>
    private List<string> RoomsOnEveryShard()
    {
        var names = new RedisNames(redis.Prefix + "cluster-demo:");
        var cluster = redis.Raw.GetServers().First(s => s.IsConnected).ClusterConfiguration!;
        var primaries = cluster.Nodes.Count(n => !n.IsReplica && n.Slots.Count > 0);
        var seen = new HashSet<EndPoint>();
        var rooms = new List<string>();
        for (var i = 0; seen.Count < primaries; i++)
        {
            var room = "r" + i;
            if (seen.Add(cluster.GetBySlot(names.TopicMeta(DemoRoom.Key(room)))!.EndPoint!))
            {
                rooms.Add(room);
            }
        }
        Assert.Equal(3, rooms.Count);
        return rooms;
    }
}
