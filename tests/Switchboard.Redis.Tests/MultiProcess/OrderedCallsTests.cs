using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// Calls of one window run in the order it made them across processes (docs/delivery.md): two web nodes, two worker
/// processes, a window on node A posts 200 chat lines quickly and a window of the room on node B sees them in that
/// order — also when the worker holding the window's current call is killed with SIGKILL (the call is reclaimed after
/// the job lease; a line may then arrive twice, never out of order).
/// </summary>
public sealed class OrderedCallsTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private const int Calls = 200;

    // Enough that calls are still waiting when the workers are first frozen: with 200 a fast machine ran them all first.
    private const int CrashCalls = 600;

    private static readonly string[] WebOptions =
    [
        "--Switchboard:CallRateLimit:PermitsPerSecond=100000",
        "--Switchboard:CallRateLimit:Burst=100000",
    ];

    private static readonly string[] WorkerOptions =
    [
        "--Switchboard:Workers:Count=2",
        "--Switchboard:RedisOptions:JobLease=00:00:03",
        "--Switchboard:RedisOptions:LeaseRenewInterval=00:00:01",
        "--Switchboard:RedisOptions:BlockTimeout=00:00:00.500",
    ];

    [RedisFact]
    public async Task TwoHundredCallsOfAWindowOnNodeAReachTheRoomOnNodeBInSendingOrder()
    {
        var room = "ordered-" + Guid.NewGuid().ToString("N")[..6];
        await using var cluster = new DemoCluster(redis.Configuration, redis.Prefix + "ordered:", output);
        var (sender, reader, _) = await StartAsync(cluster, room);

        var clock = Stopwatch.StartNew();
        await SendAsync(sender, room);
        await reader.WaitUntilAsync(frames => Numbers(frames).Count() >= Calls, $"{Calls} chat lines on node B", TimeSpan.FromSeconds(60));
        output.WriteLine($"{Calls} calls sent from node A and their lines seen on node B in {clock.ElapsedMilliseconds} ms");

        Assert.Equal(Enumerable.Range(1, Calls), Numbers(reader.Received));
    }

    [RedisFact]
    public async Task OrderHoldsWhenTheWorkerRunningTheWindowsCallIsKilled()
    {
        var room = "crash-" + Guid.NewGuid().ToString("N")[..6];
        var prefix = redis.Prefix + "ordered-crash:";
        var stream = prefix + "{q:default}";
        await using var cluster = new DemoCluster(redis.Configuration, prefix, output);
        var (sender, reader, workers) = await StartAsync(cluster, room);
        await SendAsync(sender, room, CrashCalls);
        await reader.WaitUntilAsync(frames => Numbers(frames).Count() >= 20, "20 chat lines", DemoCluster.StartTimeout);

        // Freeze both workers and find the one holding the window's current call (only one is in flight at a time);
        // when neither holds it (it is between them, in the stream), let them go on and try again.
        DemoProcess? victim = null;
        long held = 0;
        for (var tries = 1; victim is null; tries++)
        {
            foreach (var worker in workers)
            {
                worker.Pause();
            }
            foreach (var worker in workers)
            {
                if ((held = await PendingOfAsync(stream, worker.Id)) > 0)
                {
                    victim = worker;
                    break;
                }
            }
            if (victim is null)
            {
                var seen = Numbers(reader.Received).Count();
                Assert.True(seen < CrashCalls && tries < 100, $"no worker held the window's call whenever both were frozen ({tries} tries, {seen} lines)");
                foreach (var worker in workers)
                {
                    worker.Resume();
                }
                await reader.WaitUntilAsync(frames => Numbers(frames).Count() > seen, "one more chat line", TimeSpan.FromSeconds(10));
            }
        }
        await victim.KillAsync();
        var survivor = workers.Single(w => w != victim);
        survivor.Resume();
        var linesAtKill = Numbers(reader.Received).Count();
        output.WriteLine($"{victim.Name} killed (SIGKILL) holding {held} job(s); {linesAtKill} lines seen by then");

        var clock = Stopwatch.StartNew();
        await reader.WaitUntilAsync(frames => Numbers(frames).Distinct().Count() >= CrashCalls, $"all {CrashCalls} chat lines", TimeSpan.FromSeconds(90));
        output.WriteLine($"the other {CrashCalls - linesAtKill} lines came in {clock.ElapsedMilliseconds} ms after the kill (JobLease 3 s)");

        var numbers = Numbers(reader.Received).ToList();
        var firsts = numbers.Distinct().ToList();
        Assert.Equal(Enumerable.Range(1, CrashCalls), firsts);
        var duplicates = numbers.Count - firsts.Count;
        output.WriteLine($"lines received: {numbers.Count}; duplicates: {duplicates} ({string.Join(", ", numbers.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))})");
        Assert.True(duplicates <= held, $"{duplicates} duplicates, more than the {held} job(s) the killed worker held");
        Assert.True(survivor.Lines.Any(l => l.Contains("reclaimed job entry", StringComparison.Ordinal)), "the survivor reclaimed the killed worker's job");
    }

    /// <summary>Two web nodes (no call rate limit worth the name) and two workers; a window of the room on each node.</summary>
    private static async Task<(TestWindow Sender, TestWindow Reader, DemoProcess[] Workers)> StartAsync(DemoCluster cluster, string room)
    {
        var nodeA = cluster.StartWebNodeAsync("web-A", WebOptions);
        var nodeB = cluster.StartWebNodeAsync("web-B", WebOptions);
        DemoProcess[] workers = [cluster.StartWorker("worker-1", "default", WorkerOptions), cluster.StartWorker("worker-2", "default", WorkerOptions)];
        var (_, a) = await nodeA;
        var (_, b) = await nodeB;
        await Task.WhenAll(workers.Select(w => DemoCluster.WaitServingAsync(w, "default")));
        var sender = await cluster.OpenWindowAsync(a, "/chat/" + room);
        var reader = await cluster.OpenWindowAsync(b, "/chat/" + room);
        return (sender, reader, workers);
    }

    /// <summary>Sends the calls 1..<paramref name="calls"/> back to back, then waits until all are accepted.</summary>
    private static async Task SendAsync(TestWindow sender, string room, int calls = Calls)
    {
        for (var n = 1; n <= calls; n++)
        {
            await sender.SendCallAsync("demo.chat.post", new { room, text = n.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        await sender.WaitUntilAsync(frames => frames.Count(f => f.Type() == "accepted") == calls, $"{calls} accepted calls", DemoCluster.FrameTimeout);
        Assert.DoesNotContain(sender.Received, f => f.Type() is "refused" or "error");
    }

    /// <summary>The numbers of the room's chat lines received so far, duplicates included.</summary>
    private static IEnumerable<int> Numbers(IReadOnlyList<JsonElement> frames) =>
        frames.Where(f => f.IsSignal("demo.chat.message"))
            .Select(f => int.TryParse(f.GetProperty("opts").Str("text"), out var n) ? n : 0)
            .Where(n => n > 0);

    /// <summary>Entries the consumer of process <paramref name="pid"/> has leased and not acknowledged.</summary>
    private async Task<long> PendingOfAsync(string stream, int pid)
    {
        var pending = await redis.Db.StreamPendingAsync(stream, RedisNames.ConsumerGroup);
        return pending.Consumers.Where(c => c.Name.ToString().Contains($":{pid}:", StringComparison.Ordinal)).Sum(c => (long)c.PendingMessageCount);
    }
}
