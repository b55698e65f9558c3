using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// At-least-once across a worker crash (docs/delivery.md): a worker process killed with SIGKILL while it holds jobs
/// loses none of them — another worker reclaims them after JobLease. Duplicates are allowed and counted.
/// </summary>
public sealed class WorkerCrashTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    // Enough that worker-1 is still busy when it is frozen right after the window saw its first result, even when the
    // window reads late on a loaded machine (with 400, CI once saw all of them done by then).
    private const int Jobs = 2000;

    [RedisFact]
    public async Task JobsOfAKilledWorkerAreAllRunByTheNextOne()
    {
        var prefix = redis.Prefix + "crash:";
        var stream = prefix + "{q:default}";
        var room = "crash";
        await using var cluster = new DemoCluster(redis.Configuration, prefix, output);
        string[] workerOptions =
        [
            "--Switchboard:Workers:Count=2",
            "--Switchboard:RedisOptions:JobLease=00:00:03",
            "--Switchboard:RedisOptions:LeaseRenewInterval=00:00:01",
            "--Switchboard:RedisOptions:BlockTimeout=00:00:00.500",
        ];
        var (_, web) = await cluster.StartWebNodeAsync("web");
        var window = await cluster.OpenWindowAsync(web, "/chat/" + room);

        // 2000 server jobs queued before any worker runs: demo.chat.post {room, text: "1".."2000"}; each run posts
        // demo.chat.message {text} to the room, which the window counts.
        await cluster.EmitAsync("demo.chat.post", "SERVER", JsonSerializer.Serialize(new { room }), Jobs, "--number-field", "text");
        // The window's own switchboard.window.connected job (the demo logs connects) may be there too.
        Assert.Equal(Jobs, (await redis.Db.StreamRangeAsync(stream)).Count(e => ((string?)e["job"] ?? "").Contains("\"demo.chat.post\"", StringComparison.Ordinal)));

        var first = cluster.StartWorker("worker-1", "default", workerOptions);
        await window.WaitUntilAsync(frames => Numbers(frames).Any(), "a first result from worker-1", DemoCluster.StartTimeout);

        // Freeze worker-1 (SIGSTOP) at once and look at what it holds; kill it only while it holds jobs.
        var heldAtKill = 0L;
        var tries = 0;
        while (true)
        {
            tries++;
            first.Pause();
            heldAtKill = await PendingOfAsync(stream, first.Id);
            if (heldAtKill > 0)
            {
                break;
            }
            var seen = Numbers(window.Received).Distinct().Count();
            Assert.True(seen < Jobs && tries < 50, $"worker-1 held no job whenever it was frozen ({tries} tries, {seen} results): nothing to crash on");
            first.Resume();
            await window.WaitUntilAsync(frames => Numbers(frames).Distinct().Count() > seen, "one more result", TimeSpan.FromSeconds(10));
        }
        await first.KillAsync();
        var beforeKill = Numbers(window.Received).ToList();
        var backlogAtKill = await redis.Db.StreamLengthAsync(stream);
        output.WriteLine($"worker-1 killed (SIGKILL) holding {heldAtKill} job(s) (leased, not acknowledged); " +
                         $"{beforeKill.Distinct().Count()} results seen, {backlogAtKill} entries left in the stream");

        var clock = Stopwatch.StartNew();
        var second = cluster.StartWorker("worker-2", "default", workerOptions);
        await window.WaitUntilAsync(frames => Numbers(frames).Distinct().Count() >= Jobs, $"all {Jobs} results", TimeSpan.FromSeconds(60));
        output.WriteLine($"all {Jobs} results {clock.ElapsedMilliseconds} ms after worker-2 started (JobLease 3 s)");

        // Everything acknowledged: then a last call's result, published after all others, closes the count.
        await RedisPolling.WaitUntilAsync(async () => await redis.Db.StreamLengthAsync(stream) == 0, "an empty stream", TimeSpan.FromSeconds(15));
        (await window.CallAsync("demo.chat.post", new { room, text = "last" })).EnsureAccepted();
        await window.NextSignalAsync("demo.chat.message", o => o.Str("text") == "last");

        var numbers = Numbers(window.Received).ToList();
        var distinct = numbers.Distinct().Count();
        var reclaimed = second.Lines.Count(l => l.Contains("reclaimed job entry", StringComparison.Ordinal));
        output.WriteLine($"jobs sent: {Jobs}; results received: {numbers.Count}; distinct: {distinct}; duplicates: {numbers.Count - distinct}; " +
                         $"lost: {Jobs - distinct}; held by worker-1 at kill: {heldAtKill}; reclaimed by worker-2: {reclaimed}");
        Assert.Equal(Enumerable.Range(1, Jobs), numbers.Distinct().Order());
        Assert.Equal(heldAtKill, reclaimed);
        Assert.True(numbers.Count - distinct <= heldAtKill, "more duplicates than jobs worker-1 held");
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
