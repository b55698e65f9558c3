using System.Globalization;

namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// Redis behind Sentinel, master killed during traffic: a web node and a worker process connect through Sentinel
/// (<c>host:port,serviceName=…</c>); the master gets SIGKILL, Sentinel promotes the replica, and both processes follow
/// it — the window that stayed connected keeps receiving, new calls are accepted and run, the worker keeps taking jobs.
/// What the failover cost is measured and printed: calls accepted (enqueued on the old master) whose results never came
/// (not replicated in time, or published during the switch), and positions of the room's topic that were skipped or
/// reused (an increment the replica never got: the new master hands out the same position again in the same epoch).
/// The test has a master, replica and Sentinel of its own. Recovery is bounded: the first new call's result comes within
/// <see cref="Recovery"/> of the promotion, and a new job on the queue that had one running through the failover within
/// as long of its call. A job that finished during the switch used to lose its acknowledgement and hold its ordering line — the
/// window's later calls — until its lease ran out (27 s after the promotion); acks are now retried (RedisAckBatcher).
/// </summary>
public sealed class SentinelFailoverTests(ITestOutputHelper output)
{
    private const string Room = "failover";

    /// <summary>Generous (a command queued for the dead master can wait out its 5 s timeout), far below a 30 s lease.</summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(15);

    [SentinelFact(NeedsServer = true)]
    public async Task NodesAndWorkersFollowSentinelToThePromotedReplica()
    {
        await using var set = await RedisSentinelSet.StartAsync();
        output.WriteLine($"master :{set.Master.Port}, replica :{set.Replica.Port}, connection string {set.Configuration}");
        await using var cluster = new DemoCluster(set.Configuration, "sentinel:", output);
        var (_, web) = await cluster.StartWebNodeAsync("web");
        var worker = cluster.StartWorker("worker", "default,slow", "--Switchboard:Workers:Count=1", "--Switchboard:Workers:PerQueue:slow=1",
            "--Switchboard:RedisOptions:BlockTimeout=00:00:00.500");
        await DemoCluster.WaitServingAsync(worker, "slow");
        var window = await cluster.OpenWindowAsync(web, "/chat/" + Room);
        (await window.CallAsync("demo.chat.post", new { room = Room, text = "before" })).EnsureAccepted();
        await window.NextSignalAsync("demo.chat.message", o => o.Str("text") == "before");

        // Traffic while the master dies: a slow job on the worker, and a chat line every 50 ms.
        (await window.CallAsync("demo.slow", new { steps = 6 })).EnsureAccepted();
        await window.NextSignalAsync("demo.progress");
        using var stopTraffic = new CancellationTokenSource();
        var traffic = Task.Run(() => TrafficAsync(window, stopTraffic.Token));
        await Task.Delay(500);

        var lag = await ReplicationLagAsync(set);
        var clock = Stopwatch.StartNew();
        set.KillMaster();
        output.WriteLine($"master killed (SIGKILL); just before, the replica was at most {lag} byte(s) behind");
        await set.WaitForFailoverAsync();
        var promoted = Stopwatch.StartNew();
        output.WriteLine($"Sentinel promoted the replica {clock.ElapsedMilliseconds} ms after the kill");
        Assert.Equal(set.Replica.Port, await set.CurrentMasterPortAsync());
        await Task.Delay(1000);
        await stopTraffic.CancelAsync();
        var (accepted, refused, unanswered) = await traffic;

        // A new call, repeated until one is accepted and its result is back: the web node enqueues on the new master,
        // the worker reads from it, and the web node's subscription was renewed there.
        clock.Restart();
        var (attempts, firstAcceptedMs) = await RedisRestartTests.CallUntilResultAsync(window, "demo.chat.post", n => new { room = Room, text = "after-" + n },
            (f, n) => f.IsSignal("demo.chat.message") && f.Opts().Str("text") == "after-" + n);
        var firstResult = promoted.Elapsed;
        output.WriteLine($"after the failover: first call accepted after {firstAcceptedMs} ms, first result after {clock.ElapsedMilliseconds} ms " +
                         $"({attempts} call(s)), {firstResult.TotalMilliseconds:0} ms after the promotion");

        // The slow queue's worker loop, which had a job running through the failover, still takes jobs.
        clock.Restart();
        (await window.CallAsync("demo.slow", new { steps = 1 })).EnsureAccepted();
        var done = await window.NextSignalAsync("df.notify", o => o.Str("content") == "Slow job done (1 steps).", TimeSpan.FromSeconds(45));
        var slowRan = clock.Elapsed;
        output.WriteLine($"a new demo.slow ran {slowRan.TotalMilliseconds:0} ms later");
        output.WriteLine($"worker: acks retried through the switch (event 4307): {Count(worker, "[4307]")}; " +
                         $"given up and left to the lease (event 2004): {Count(worker, "[2004]")}");
        Assert.True(firstResult < Recovery, $"the first result came {firstResult.TotalSeconds:0.0} s after the promotion (bound {Recovery.TotalSeconds} s)");
        // Its line (the window's, on queue slow) was held by the job that ran through the failover until that one was acked.
        Assert.True(slowRan < Recovery, $"the new demo.slow ran {slowRan.TotalSeconds:0.0} s after it was called (bound {Recovery.TotalSeconds} s)");
        Assert.NotNull(done.Str("signal_id"));
        Assert.True(window.IsOpen, "the window was disconnected by the failover");

        // What was lost: accepted calls whose result never arrived, and the room topic's positions.
        var received = window.Received.Where(f => f.IsSignal("demo.chat.message")).ToList();
        var texts = received.Select(f => f.Opts().Str("text")).ToHashSet(StringComparer.Ordinal);
        var lost = accepted.Where(t => !texts.Contains(t)).ToList();
        output.WriteLine($"calls during the failover: accepted {accepted.Count}, refused {refused}, unanswered {unanswered}; " +
                         $"accepted but never delivered: {lost.Count} [{string.Join(", ", lost.Take(20))}]");
        var (skipped, reused, epochs) = Positions(received, TestWindow.TopicId(DemoRoom.Key(Room)));
        output.WriteLine($"room topic: {epochs} epoch(s), {skipped} position(s) skipped, {reused} position(s) reused by another message");
        Assert.True(accepted.Count > 0, "no call was accepted during the traffic");
    }

    private static int Count(DemoProcess process, string eventId) => process.Lines.Count(l => l.Contains(eventId, StringComparison.Ordinal));

    private static async Task<(List<string> Accepted, int Refused, int Unanswered)> TrafficAsync(TestWindow window, CancellationToken stop)
    {
        var (accepted, refused, unanswered, sent) = (new List<string>(), 0, 0, 0);
        while (!stop.IsCancellationRequested)
        {
            sent++;
            var text = "during-" + sent.ToString(CultureInfo.InvariantCulture);
            try
            {
                var answer = await window.CallAsync("demo.chat.post", new { room = Room, text }, TimeSpan.FromSeconds(8));
                if (answer.Accepted)
                {
                    accepted.Add(text);
                }
                else
                {
                    refused++;
                }
            }
            catch (TimeoutException)
            {
                unanswered++;
            }
            await Task.Delay(50, CancellationToken.None);
        }
        return (accepted, refused, unanswered);
    }

    /// <summary>
    /// How far the replica is behind the master at most, in replication bytes (0: everything written was replicated):
    /// the replica's offset is read first, so the master's can only be larger.
    /// </summary>
    private static async Task<long> ReplicationLagAsync(RedisSentinelSet set)
    {
        static long Offset(string info, string field) =>
            info.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
                .Select(l => long.Parse(l[(field.Length + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();
        var replica = Offset(await set.Replica.CommandAsync("INFO", "replication"), "slave_repl_offset");
        var master = Offset(await set.Master.CommandAsync("INFO", "replication"), "master_repl_offset");
        return master - replica;
    }

    /// <summary>Positions of <paramref name="topicId"/> in arrival order: gaps, positions carried by two messages, epochs seen.</summary>
    private static (int Skipped, int Reused, int Epochs) Positions(List<JsonElement> frames, string topicId)
    {
        var seen = new Dictionary<(string Epoch, long Seq), string>();
        var (skipped, reused) = (0, 0);
        (string Epoch, long Seq)? last = null;
        foreach (var frame in frames)
        {
            if (!frame.TryGetProperty("pos", out var pos) || !pos.TryGetProperty(topicId, out var p))
            {
                continue;
            }
            var here = (p[1].GetString() ?? "", p[0].GetInt64());
            var id = frame.Str("signal_id") ?? "";
            if (seen.TryGetValue(here, out var other) && other != id)
            {
                reused++;
            }
            seen[here] = id;
            if (last is { } l && l.Epoch == here.Item1 && here.Item2 > l.Seq + 1)
            {
                skipped += (int)(here.Item2 - l.Seq - 1);
            }
            last = here;
        }
        return (skipped, reused, seen.Keys.Select(k => k.Epoch).Distinct().Count());
    }
}
