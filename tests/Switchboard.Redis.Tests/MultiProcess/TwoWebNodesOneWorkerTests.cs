namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// The demo as separate processes on one Redis (docs/scaling.md): two web nodes, one worker process, console emitters.
/// A window on node A sees what a window on node B posts, its own slow job run by the worker, and what the emitter
/// sends to browsers or to the server.
/// </summary>
public sealed class TwoWebNodesOneWorkerTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    [RedisFact]
    public async Task WindowOnOneNodeGetsEverythingThroughRedis()
    {
        await using var cluster = new DemoCluster(redis.Configuration, redis.Prefix + "two-nodes:", output);
        var clock = Stopwatch.StartNew();
        var (_, a, _, b, _) = await cluster.StartTwoWebNodesAndWorkerAsync("default,slow");
        output.WriteLine($"2 web nodes ({a}, {b}) and a worker up in {clock.ElapsedMilliseconds} ms");
        var windowA = await cluster.OpenWindowAsync(a, "/chat/lobby");
        var windowB = await cluster.OpenWindowAsync(b, "/chat/lobby");

        // (a) A chat line posted on node B reaches the room's window on node A (and B's own).
        var line = "from B " + Guid.NewGuid().ToString("N")[..8];
        clock.Restart();
        (await windowB.CallAsync("demo.chat.post", new { room = "lobby", text = line })).EnsureAccepted();
        var onA = await windowA.NextSignalAsync("demo.chat.message", o => o.Str("text") == line);
        var onB = await windowB.NextSignalAsync("demo.chat.message", o => o.Str("text") == line);
        Assert.Equal("lobby", onA.GetProperty("opts").Str("room"));
        Assert.Equal(onA.Str("signal_id"), onB.Str("signal_id"));
        output.WriteLine($"(a) chat line B -> worker -> A in {clock.ElapsedMilliseconds} ms");

        // (b) A slow job A asked for runs in the worker process; its progress and notification come back to A only.
        clock.Restart();
        (await windowA.CallAsync("demo.slow", new { steps = 3 })).EnsureAccepted();
        for (var step = 1; step <= 3; step++)
        {
            var progress = await windowA.NextSignalAsync("demo.progress");
            Assert.Equal(step, progress.GetProperty("opts").GetProperty("step").GetInt32());
            Assert.Equal(3, progress.GetProperty("opts").GetProperty("steps").GetInt32());
        }
        var notify = await windowA.NextSignalAsync("df.notify");
        Assert.Equal("Slow job done (3 steps).", notify.GetProperty("opts").Str("content"));
        Assert.Equal("success", notify.GetProperty("opts").Str("level"));
        Assert.DoesNotContain(windowB.Received, f => f.IsSignal("demo.progress") || f.IsSignal("df.notify"));
        output.WriteLine($"(b) demo.slow (3 x 300 ms) progress and notify back in {clock.ElapsedMilliseconds} ms");

        // (c) The console emitter broadcasts to every window of every node.
        var broadcast = "x " + Guid.NewGuid().ToString("N")[..8];
        clock.Restart();
        await cluster.EmitAsync("demo.broadcasted", "BROADCAST", JsonSerializer.Serialize(new { text = broadcast }));
        await windowA.NextSignalAsync("demo.broadcasted", o => o.Str("text") == broadcast);
        await windowB.NextSignalAsync("demo.broadcasted", o => o.Str("text") == broadcast);
        output.WriteLine($"(c) emitter BROADCAST reached both nodes in {clock.ElapsedMilliseconds} ms (process start included)");

        // (d) The emitter has no handlers: its SERVER call is routed by the worker to demo.broadcast's handler.
        clock.Restart();
        await cluster.EmitAsync("demo.broadcast", "SERVER", """{"text":"routed"}""");
        var routed = await windowA.NextSignalAsync("demo.broadcasted", o => o.Str("text") == "routed");
        Assert.Equal("routed", routed.GetProperty("opts").Str("text"));
        output.WriteLine($"(d) emitter SERVER -> worker routing -> demo.broadcasted in {clock.ElapsedMilliseconds} ms (process start included)");

        // (e) Page rendered by node A, WebSocket to node B (no sticky sessions): B accepts A's token (shared key ring)
        // and reads the page's topics written by A.
        var crossed = await cluster.OpenWindowAsync(a, "/chat/lobby", socketNode: b);
        var crossLine = "crossed " + Guid.NewGuid().ToString("N")[..8];
        (await windowA.CallAsync("demo.chat.post", new { room = "lobby", text = crossLine })).EnsureAccepted();
        await crossed.NextSignalAsync("demo.chat.message", o => o.Str("text") == crossLine);
        output.WriteLine("(e) page from A, socket on B: accepted, room topic known");
    }
}
