using System.Globalization;
using Switchboard.Redis.Internal;
using static Switchboard.Redis.Tests.Infrastructure.RedisQueueProcesses;

namespace Switchboard.Redis.Tests;

/// <summary>
/// A finished job whose acknowledgement Redis refuses for a while, as during a Sentinel failover (the replica refuses
/// writes with <c>READONLY</c> until it is promoted): the ack is retried with the job still held, so the job is not run
/// again and its ordering line goes on as soon as Redis takes writes — not after the job's lease (30 s by default),
/// which every later job of the line (a window's later calls) would otherwise wait for.
/// </summary>
public sealed class RedisAckRetryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly RedisQueueProcesses _processes = new(output);
    private readonly string _prefix = $"t-{Guid.NewGuid():N}:";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _processes.DisposeAsync();

    [RedisFact(NeedsServer = true)]
    public async Task AnAckRefusedUntilThePromotionIsRetriedAndTheLineGoesOnWithoutWaitingForTheLease()
    {
        await using var server = await RedisServer.StartAsync();
        var queue = NewQueueName();
        var jobs = _processes.Start(TestRedis.Options(server.Configuration, _prefix, o =>
        {
            o.JobLease = TimeSpan.FromSeconds(30);
            o.LeaseRenewInterval = TimeSpan.FromSeconds(10);
        }));
        await jobs.EnqueueAsync(Keyed(queue, "1"), default).DefaultTimeout();
        await jobs.EnqueueAsync(Keyed(queue, "2"), default).DefaultTimeout();
        var first = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        Assert.Equal("1", first.Job.Id);

        // A replica of a master that does not exist keeps its data and refuses every write, as the replica does between
        // the master's death and its promotion.
        await server.CommandAsync("REPLICAOF", "127.0.0.1", RedisServer.FreePort().ToString(CultureInfo.InvariantCulture));
        var ack = jobs.CompleteAsync(first, default).AsTask();
        await RedisPolling.WaitUntilAsync(() => Task.FromResult(_processes.Logs.Has(4307) || ack.IsCompleted), "the refused ack to be retried (RedisAckRetrying)");
        Assert.False(ack.IsCompleted, $"the ack ended while Redis refused writes, instead of being retried: {ack.Exception?.InnerException?.Message}");

        await server.CommandAsync("REPLICAOF", "NO", "ONE");
        var promoted = Stopwatch.StartNew();
        await ack.WaitAsync(TimeSpan.FromSeconds(10));
        var second = await jobs.DequeueAsync(queue, default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("2", second.Job.Id);
        Assert.True(promoted.Elapsed < TimeSpan.FromSeconds(10), $"the line went on {promoted.Elapsed} after the promotion");
        Assert.False(_processes.Logs.Has(4301), "the retried ack was taken for a lost lease (RedisLeaseLost)");
        await jobs.CompleteAsync(second, default).DefaultTimeout();
        await jobs.AssertNothingAvailableAsync(queue, DateTimeOffset.UtcNow);
    }

    private static SignalJob Keyed(string queue, string id) => SampleJobs.Minimal(queue, id, DateTimeOffset.UtcNow, orderingKey: "w");
}
