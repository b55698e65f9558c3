using Switchboard.Redis.Internal;
using static Switchboard.Redis.Tests.Infrastructure.RedisQueueProcesses;

namespace Switchboard.Redis.Tests;

/// <summary>
/// What only a durable queue does: jobs outlive the queue instance (the "process") that took or delayed them. Each
/// <see cref="RedisJobQueue"/> here has a connection of its own, like a worker process; disposing both is the process
/// dying (it stops renewing its leases and never completes what it held).
/// </summary>
public sealed class RedisJobQueueDurabilityTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);
    private readonly RedisQueueProcesses _processes = new(output);

    private LogCapture Logs => _processes.Logs;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _processes.DisposeAsync();

    [RedisFact]
    public async Task JobOfAWorkerThatDiedIsReclaimedByAnotherAfterTheLease()
    {
        var queue = NewQueueName();
        var dying = StartProcess();
        await dying.EnqueueAsync(NewJob(queue, "orphan"), default).DefaultTimeout();
        var lease = await dying.DequeueAsync(queue, default).DefaultTimeout();
        var takenAt = Stopwatch.StartNew();
        Assert.Equal(1, await redis.PendingCountAsync(queue));

        await DieAsync(dying);
        var survivor = StartProcess();
        var reclaimed = await survivor.DequeueAsync(queue, default).AsTask().WaitAsync(Lease + TimeSpan.FromSeconds(5));

        Assert.Equal("orphan", reclaimed.Job.Id);
        Assert.Equal(lease.Job.Signal, reclaimed.Job.Signal);
        Assert.True(takenAt.Elapsed >= Lease * 0.9, $"reclaimed after {takenAt.Elapsed}, before the {Lease} lease ran out");
        Assert.True(Logs.Has(4202), "the reclaim is logged (RedisJobReclaimed)");
        await survivor.CompleteAsync(reclaimed, default).DefaultTimeout();
        Assert.Equal(0, await redis.PendingCountAsync(queue));
        Assert.Equal(0, await redis.Db.StreamLengthAsync(redis.QueueKey(queue)));
    }

    [RedisFact]
    public async Task RunningJobWhoseLeaseIsRenewedIsNotReclaimedHoweverLongItRuns()
    {
        var queue = NewQueueName();
        // A longer lease than the other tests': renewals every 200 ms must never be 3 s late, even when the test
        // processes share a loaded machine (a renewal later than the lease is a reclaim, rightly).
        var longLease = Lease * 3;
        var holder = StartProcess(o => { o.JobLease = longLease; o.LeaseRenewInterval = TimeSpan.FromMilliseconds(200); });
        var other = StartProcess(o => o.JobLease = longLease);
        await holder.EnqueueAsync(NewJob(queue, "long"), default).DefaultTimeout();
        var lease = await holder.DequeueAsync(queue, default).DefaultTimeout();
        var holderName = HolderOf(Assert.Single(await PendingAsync(queue)));
        var otherWaiting = other.DequeueAsync(queue, default).AsTask();

        // The "handler" runs for 2 leases; the other worker checks for reclaimable jobs every 200 ms meanwhile.
        await Task.Delay(longLease * 2);

        Assert.False(otherWaiting.IsCompleted, "the other worker took the running job");
        var pending = Assert.Single(await PendingAsync(queue));
        Assert.Equal(holderName, HolderOf(pending));
        Assert.Equal(1, pending.DeliveryCount);
        Assert.True(pending.IdleTimeInMilliseconds < longLease.TotalMilliseconds, $"idle for {pending.IdleTimeInMilliseconds} ms: the lease was not renewed");
        await holder.CompleteAsync(lease, default).DefaultTimeout();
        Assert.Equal(0, await redis.PendingCountAsync(queue));
        Assert.False(Logs.Has(4301), "the holder finished a job it had lost (RedisLeaseLost)");
        Assert.False(Logs.Has(4304), "the holder's lease was taken while it renewed it (RedisRenewLost)");
        Assert.False(Logs.Has(4202), "a job was reclaimed (RedisJobReclaimed)");
    }

    [RedisFact]
    public async Task JobWhoseRenewalCameLateIsNotHandedOutTwiceByItsOwnProcess()
    {
        // The process is "paused" for longer than the lease: its clock (renewals) stands still while Redis's runs on,
        // then its reader's reclaim check runs before the renewal and XAUTOCLAIM hands it its own running job.
        var queue = NewQueueName();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var process = StartProcess(o => o.LeaseRenewInterval = TimeSpan.FromMilliseconds(900), time);
        await process.EnqueueAsync(NewJob(queue, "running"), default).DefaultTimeout();
        var lease = await process.DequeueAsync(queue, default).DefaultTimeout();
        var next = process.DequeueAsync(queue, default).AsTask();

        await Task.Delay(Lease + TimeSpan.FromMilliseconds(200));
        time.Advance(TimeSpan.FromMilliseconds(250));
        await RedisPolling.WaitUntilAsync(async () => (await PendingAsync(queue)).Single().DeliveryCount == 2, "the reader's XAUTOCLAIM of its own job");
        await process.EnqueueAsync(NewJob(queue, "marker"), default).DefaultTimeout();

        Assert.Equal("marker", (await next.DefaultTimeout()).Job.Id);
        await process.CompleteAsync(lease, default).DefaultTimeout();
        Assert.False(Logs.Has(4301), "the running job was lost (RedisLeaseLost)");
    }

    [RedisFact]
    public async Task DelayedJobSurvivesTheProcessThatQueuedItAndIsTakenWhenDue()
    {
        var queue = NewQueueName();
        var producer = StartProcess();
        var due = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        await producer.EnqueueAsync(NewJob(queue, "delayed", due), default).DefaultTimeout();
        await DieAsync(producer);
        Assert.Equal(1, await redis.Db.SortedSetLengthAsync(redis.DelayedKey(queue)));
        Assert.Equal(0, await redis.Db.StreamLengthAsync(redis.QueueKey(queue)));

        var worker = StartProcess();
        var lease = await worker.DequeueAsync(queue, default).AsTask().WaitAsync(TimeSpan.FromSeconds(6));

        Assert.Equal("delayed", lease.Job.Id);
        Assert.True(DateTimeOffset.UtcNow >= due, "the job came out before it was due");
        Assert.Equal(due.ToUnixTimeMilliseconds(), lease.Job.NotBefore?.ToUnixTimeMilliseconds());
        await worker.CompleteAsync(lease, default).DefaultTimeout();
        Assert.Equal(0, await redis.Db.SortedSetLengthAsync(redis.DelayedKey(queue)));
    }

    [RedisFact]
    public async Task JobsQueuedBeforeAnyWorkerExistedAreTaken()
    {
        var queue = NewQueueName();
        var producer = StartProcess();
        await producer.EnqueueAsync(NewJob(queue, "early-1"), default).DefaultTimeout();
        await producer.EnqueueAsync(NewJob(queue, "early-2"), default).DefaultTimeout();

        var worker = StartProcess();

        Assert.Equal("early-1", (await worker.TakeAsync(queue)).Id);
        Assert.Equal("early-2", (await worker.TakeAsync(queue)).Id);
    }

    [RedisFact]
    public async Task AbandonedJobIsRequeuedWithTheNextAttemptAndTheOriginalIsAcknowledged()
    {
        var queue = NewQueueName();
        var jobs = StartProcess();
        await jobs.EnqueueAsync(NewJob(queue, "abandoned"), default).DefaultTimeout();
        var lease = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        await jobs.AbandonAsync(lease, TimeSpan.FromMilliseconds(300), default).DefaultTimeout();

        Assert.Equal(0, await redis.PendingCountAsync(queue));
        Assert.Equal(1, await redis.Db.SortedSetLengthAsync(redis.DelayedKey(queue)));
        var again = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        Assert.Equal(("abandoned", 1), (again.Job.Id, again.Job.Attempt));
        await jobs.CompleteAsync(again, default).DefaultTimeout();
    }

    [RedisFact]
    public async Task UnreadableEntryGoesToTheDeadLettersAndTheQueueGoesOn()
    {
        var queue = NewQueueName();
        var jobs = StartProcess();
        await redis.Db.StreamAddAsync(redis.QueueKey(queue), "job", "{not json");
        await jobs.EnqueueAsync(NewJob(queue, "after"), default).DefaultTimeout();

        Assert.Equal("after", (await jobs.TakeAsync(queue)).Id);

        var letter = Assert.Single(await jobs.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());
        Assert.Null(letter.Job);
        Assert.Equal("unreadable job", letter.Reason);
        Assert.Equal(0, await redis.PendingCountAsync(queue));
        Assert.False(await jobs.RequeueDeadLetterAsync(queue, letter.Id, default).DefaultTimeout());
    }

    [RedisFact]
    public async Task CompletingAJobWhoseStreamWasLostDoesNotThrow()
    {
        // Redis restarted without persistence while the job ran: stream and group are gone.
        var queue = NewQueueName();
        var jobs = StartProcess();
        await jobs.EnqueueAsync(NewJob(queue, "lost"), default).DefaultTimeout();
        var lease = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        await redis.Db.KeyDeleteAsync(redis.QueueKey(queue));

        await jobs.CompleteAsync(lease, default).DefaultTimeout();

        // RedisStreamLost; RedisLeaseLost when the reader had already re-created the (empty) stream and group.
        Assert.True(Logs.Has(4305) || Logs.Has(4301), "completing a job whose stream is gone is logged");
        await jobs.EnqueueAsync(NewJob(queue, "next"), default).DefaultTimeout();
        Assert.Equal("next", (await jobs.TakeAsync(queue).WaitAsync(TimeSpan.FromSeconds(10))).Id);
    }

    private RedisJobQueue StartProcess(Action<SwitchboardRedisOptions>? configure = null, TimeProvider? time = null) =>
        _processes.Start(redis.Options(o =>
        {
            o.JobLease = Lease;
            o.LeaseRenewInterval = TimeSpan.FromMilliseconds(300);
            configure?.Invoke(o);
        }), time);

    private Task<StreamPendingMessageInfo[]> PendingAsync(string queue) =>
        redis.Db.StreamPendingMessagesAsync(redis.QueueKey(queue), RedisNames.ConsumerGroup, 10, RedisValue.Null);

    private static string HolderOf(StreamPendingMessageInfo pending) => (string)pending.ConsumerName!;

    /// <summary>The process dies: it stops renewing its leases and never completes what it held.</summary>
    private Task DieAsync(RedisJobQueue queue) => _processes.StopAsync(queue);
}
