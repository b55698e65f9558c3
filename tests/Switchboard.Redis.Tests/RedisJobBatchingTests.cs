using Switchboard.Redis.Internal;
using static Switchboard.Redis.Tests.Infrastructure.RedisQueueProcesses;

namespace Switchboard.Redis.Tests;

/// <summary>
/// Batched pickup and acknowledgement (docs/delivery.md): many acks go in one script call, yet each job is acknowledged
/// exactly once and only once it ran; jobs whose ack had not reached Redis when the process died are reclaimed; a
/// process with slow jobs reads ahead only about one job per worker, leaving the rest to other processes.
/// </summary>
public sealed class RedisJobBatchingTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);
    private readonly RedisQueueProcesses _processes = new(output);

    private LogCapture Logs => _processes.Logs;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _processes.DisposeAsync();

    [RedisFact]
    public async Task ManyJobsCompletedAtOnceAreEachAcknowledgedOnceAndNoneComesBack()
    {
        const int Count = 300;
        var queue = NewQueueName();
        var jobs = StartProcess(redis.Configuration, redis.Prefix);
        for (var i = 0; i < Count; i++)
        {
            await jobs.EnqueueAsync(NewJob(queue, "job-" + i), default).DefaultTimeout();
        }

        // Take them all, then complete them all without waiting for any single ack: they share script calls.
        var leases = new List<JobLease>();
        for (var i = 0; i < Count; i++)
        {
            leases.Add(await jobs.DequeueAsync(queue, default).DefaultTimeout());
        }
        var acks = leases.Select(l => jobs.CompleteAsync(l, default).AsTask()).ToArray();
        await Task.WhenAll(acks).DefaultTimeout();

        Assert.Equal(Enumerable.Range(0, Count).Select(i => "job-" + i).Order(), leases.Select(l => l.Job.Id).Order());
        Assert.Equal(0, await redis.PendingCountAsync(queue));
        Assert.Equal(0, await redis.Db.StreamLengthAsync(redis.QueueKey(queue)));
        Assert.False(Logs.Has(4301), "a job was found reclaimed when acknowledged (RedisLeaseLost)");

        // Nothing comes back: the next job out of the queue is one queued after the acks.
        await jobs.EnqueueAsync(NewJob(queue, "marker"), default).DefaultTimeout();
        var next = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        Assert.Equal("marker", next.Job.Id);
        await jobs.CompleteAsync(next, default).DefaultTimeout();
    }

    [RedisFact(NeedsServer = true)]
    public async Task JobsWhoseAcksHadNotReachedRedisWhenTheProcessDiedAreReclaimed()
    {
        // A server of our own: it is paused, which would stall every other test on the shared one.
        await using var server = await RedisServer.StartAsync();
        const string Prefix = "acks:";
        var queue = NewQueueName();
        var dying = StartProcess(server.Configuration, Prefix);
        var done = new[] { "a", "b", "c", "d", "e" };
        foreach (var id in done)
        {
            await dying.EnqueueAsync(NewJob(queue, id), default).DefaultTimeout();
        }
        var leases = new List<JobLease>();
        foreach (var _ in done)
        {
            leases.Add(await dying.DequeueAsync(queue, default).DefaultTimeout());
        }

        // The handlers "ran"; Redis takes no write while the acks are on their way, then the process dies (its
        // connection closes with the acks unanswered; the pause outlasts the close's wait for them).
        await server.CommandAsync("CLIENT", "PAUSE", "60000", "WRITE");
        var acks = leases.Select(l => dying.CompleteAsync(l, default).AsTask()).ToArray();
        var connection = _processes.Detach(dying);
        await connection.DisposeAsync();
        await server.CommandAsync("CLIENT", "UNPAUSE");
        foreach (var ack in acks)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => ack).DefaultTimeout();
        }
        await dying.DisposeAsync();

        var survivor = StartProcess(server.Configuration, Prefix);
        var reclaimed = new List<string>();
        foreach (var _ in done)
        {
            var lease = await survivor.DequeueAsync(queue, default).AsTask().WaitAsync(Lease + TimeSpan.FromSeconds(10));
            reclaimed.Add(lease.Job.Id);
            await survivor.CompleteAsync(lease, default).DefaultTimeout();
        }

        Assert.Equal(done, reclaimed.Order());
        Assert.True(Logs.Has(4202), "the jobs came back by reclaim (RedisJobReclaimed)");
        await using var raw = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        Assert.Equal(0, (await raw.GetDatabase().StreamPendingAsync(Prefix + "{q:" + queue + "}", RedisNames.ConsumerGroup)).PendingMessageCount);
    }

    [RedisFact]
    public async Task ProcessWithSlowJobsReadsAheadOneJobPerWorkerAndRenewsThemWhileOthersTakeTheRest()
    {
        const int Count = 50;
        const int Workers = 4;
        var queue = NewQueueName();
        var stream = redis.QueueKey(queue);
        // A longer lease than the other tests: renewals every 300 ms must keep 5 jobs idle less than it on a busy machine.
        var lease = Lease * 2;
        var slow = StartProcess(redis.Configuration, redis.Prefix, Workers, lease);
        for (var i = 0; i < Count; i++)
        {
            await slow.EnqueueAsync(NewJob(queue, "job-" + i), default).DefaultTimeout();
        }

        // One job running "for ever": the process refills its buffer to the worker count and no further.
        var running = await slow.DequeueAsync(queue, default).DefaultTimeout();
        await RedisPolling.WaitUntilAsync(async () => await redis.PendingCountAsync(queue) == Workers + 1, "the buffer refilled to the worker count");
        // The slow process is the group's only consumer so far.
        var slowConsumer = (await redis.Db.StreamPendingAsync(stream, RedisNames.ConsumerGroup)).Consumers.Single().Name;

        var other = StartProcess(redis.Configuration, redis.Prefix, lease: lease);
        for (var i = 0; i < Count - Workers - 1; i++)
        {
            var taken = await other.DequeueAsync(queue, default).DefaultTimeout();
            await other.CompleteAsync(taken, default).DefaultTimeout();
        }
        var otherWaiting = other.DequeueAsync(queue, default).AsTask();

        // The buffered jobs wait for 3 leases: renewed like the running one, none is reclaimed by the other process.
        await Task.Delay(lease * 3);

        Assert.False(otherWaiting.IsCompleted, "the other process took a job buffered by the slow one");
        Assert.Equal(Workers + 1, await PendingOfAsync(queue, slowConsumer));
        var pending = await redis.Db.StreamPendingMessagesAsync(stream, RedisNames.ConsumerGroup, 10, slowConsumer);
        Assert.All(pending, p => Assert.True(p.IdleTimeInMilliseconds < lease.TotalMilliseconds, $"{p.MessageId} idle for {p.IdleTimeInMilliseconds} ms"));
        Assert.All(pending, p => Assert.Equal(1, p.DeliveryCount));
        await slow.CompleteAsync(running, default).DefaultTimeout();
        for (var i = 0; i < Workers; i++)
        {
            await slow.CompleteAsync(await slow.DequeueAsync(queue, default).DefaultTimeout(), default).DefaultTimeout();
        }
        Assert.Equal(0, await redis.Db.StreamLengthAsync(stream));
    }

    private RedisJobQueue StartProcess(string configuration, string prefix, int workers = 4, TimeSpan? lease = null) =>
        _processes.Start(TestRedis.Options(configuration, prefix, o =>
        {
            o.JobLease = lease ?? Lease;
            o.LeaseRenewInterval = TimeSpan.FromMilliseconds(300);
            o.BlockTimeout = TimeSpan.FromMilliseconds(500);
        }), workers: workers);

    private async Task<long> PendingOfAsync(string queue, RedisValue consumer) =>
        (await redis.Db.StreamPendingAsync(redis.QueueKey(queue), RedisNames.ConsumerGroup)).Consumers
            .Where(c => c.Name == consumer).Sum(c => (long)c.PendingMessageCount);
}
