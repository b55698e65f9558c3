using static Switchboard.Redis.Tests.Infrastructure.RedisQueueProcesses;

namespace Switchboard.Redis.Tests;

/// <summary>
/// A job finishes while Redis is unreachable (a master's failover, a restart with persistence): its ack is retried once
/// Redis is back, so the job is not run again and the next job of its line (a window's ordered calls) comes at once —
/// not after the finished job's lease ran out and it was reclaimed, which stalled a window's calls for 30 s after a
/// Redis Cluster failover (<c>ClusterFailoverTests</c>). The test has a redis-server of its own, with an append-only
/// file, stopped and started again on the same port.
/// </summary>
public sealed class RedisAckRetryAfterRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [RedisFact(NeedsServer = true)]
    public async Task AckThatFailedWhileRedisWasDownIsRetriedAndTheLineGoesOnAtOnce()
    {
        await using var server = await RedisServer.StartOnAsync(RedisServer.FreePort(), ["--appendonly", "yes", "--appendfsync", "always"]);
        await using var processes = new RedisQueueProcesses(output);
        // A lease far longer than the test: the next job can only come from the retried ack, never from a reclaim.
        var jobs = processes.Start(TestRedis.Options(server.Configuration, "ackretry:", o => o.JobLease = Lease));
        var queue = NewQueueName();
        foreach (var id in new[] { "1", "2" })
        {
            await jobs.EnqueueAsync(SampleJobs.Minimal(queue, id, DateTimeOffset.UtcNow, orderingKey: "window"), default).DefaultTimeout();
        }
        var first = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        Assert.Equal("1", first.Job.Id);

        await server.StopAsync();
        var completing = jobs.CompleteAsync(first, default).AsTask();
        // The ack waits for a connection, then fails (the connection's timeout): retried, or (before the fix) given up.
        await RedisPolling.WaitUntilAsync(() => Task.FromResult(processes.Logs.Has(4307) || completing.IsCompleted),
            "the ack to fail while Redis is down", TimeSpan.FromSeconds(30));
        await server.StartAgainAsync();

        var clock = Stopwatch.StartNew();
        await completing.WaitAsync(TimeSpan.FromSeconds(30));
        var next = await jobs.DequeueAsync(queue, default).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"ack retried and the line's next job taken {clock.ElapsedMilliseconds} ms after Redis came back");
        Assert.Equal("2", next.Job.Id);
        await jobs.CompleteAsync(next, default).DefaultTimeout();
        await jobs.AssertNothingAvailableAsync(queue, DateTimeOffset.UtcNow);
    }
}
