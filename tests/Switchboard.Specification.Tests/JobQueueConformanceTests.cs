using System.Collections.Concurrent;

namespace Switchboard.Specification.Tests;

/// <summary>
/// The contract of <see cref="IJobQueue"/>, run against every implementation. Time moves only through
/// <see cref="AdvanceTimeAsync"/> (a fake clock in memory, real short delays for a real backend); "not yet available"
/// is checked by enqueueing a marker job after it and seeing the marker come out first.
/// </summary>
public abstract partial class JobQueueConformanceTests : IAsyncLifetime
{
    private readonly List<IJobQueue> _created = [];

    /// <summary>Creates an empty queue backend.</summary>
    protected abstract Task<IJobQueue> CreateQueueAsync();

    /// <summary>Lets <paramref name="by"/> pass for the queue's clock.</summary>
    protected abstract Task AdvanceTimeAsync(TimeSpan by);

    /// <summary>The queue's clock, used to compute <see cref="SignalJob.NotBefore"/>.</summary>
    protected abstract TimeProvider Time { get; }

    /// <summary>A delay the tests wait out. <value>The default is 1 second.</value></summary>
    protected virtual TimeSpan ShortDelay => TimeSpan.FromSeconds(1);

    /// <summary>Releases a queue; by default disposes it.</summary>
    protected virtual ValueTask DisposeQueueAsync(IJobQueue queue) => Disposal.DisposeAsync(queue);

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        foreach (var queue in _created)
        {
            await DisposeQueueAsync(queue);
        }
    }

    [Fact]
    public async Task JobsComeOutInTheOrderTheyWentIn()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        var ids = Enumerable.Range(0, 50).Select(i => "job-" + i).ToList();
        foreach (var id in ids)
        {
            await jobs.EnqueueAsync(NewJob(queue, id), default).DefaultTimeout();
        }

        var dequeued = new List<string>();
        for (var i = 0; i < ids.Count; i++)
        {
            dequeued.Add((await jobs.TakeAsync(queue)).Id);
        }

        Assert.Equal(ids, dequeued);
    }

    [Fact]
    public async Task QueuesAreIsolated()
    {
        var jobs = await NewQueueAsync();
        var (first, second) = (NewQueueName(), NewQueueName());
        await jobs.EnqueueAsync(NewJob(first, "first-1"), default).DefaultTimeout();
        await jobs.EnqueueAsync(NewJob(second, "second-1"), default).DefaultTimeout();
        await jobs.EnqueueAsync(NewJob(first, "first-2"), default).DefaultTimeout();

        Assert.Equal("second-1", (await jobs.TakeAsync(second)).Id);
        var waiting = jobs.DequeueAsync(second, default).AsTask();
        Assert.Equal("first-1", (await jobs.TakeAsync(first)).Id);
        Assert.Equal("first-2", (await jobs.TakeAsync(first)).Id);
        await jobs.EnqueueAsync(NewJob(second, "second-2"), default).DefaultTimeout();

        var lease = await waiting.DefaultTimeout();
        Assert.Equal("second-2", lease.Job.Id);
        Assert.Equal(second, lease.Job.Queue);
    }

    [Fact]
    public async Task DelayedJobIsNotDequeuedBeforeItIsDueAndIsAfter()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        await jobs.EnqueueAsync(NewJob(queue, "delayed", notBefore: Time.GetUtcNow() + ShortDelay * 2), default).DefaultTimeout();
        await jobs.EnqueueAsync(NewJob(queue, "marker-1"), default).DefaultTimeout();
        Assert.Equal("marker-1", (await jobs.TakeAsync(queue)).Id);

        await AdvanceTimeAsync(ShortDelay);
        await jobs.EnqueueAsync(NewJob(queue, "marker-2"), default).DefaultTimeout();
        Assert.Equal("marker-2", (await jobs.TakeAsync(queue)).Id);

        var waiting = jobs.DequeueAsync(queue, default).AsTask();
        await AdvanceTimeAsync(ShortDelay * 1.5);
        Assert.Equal("delayed", (await waiting.DefaultTimeout()).Job.Id);
    }

    [Fact]
    public async Task JobWithNotBeforeInThePastIsAvailableAtOnce()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();

        await jobs.EnqueueAsync(NewJob(queue, "past", notBefore: Time.GetUtcNow() - TimeSpan.FromMinutes(1)), default).DefaultTimeout();

        Assert.Equal("past", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task DelayedJobsComeOutInDueOrder()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        var now = Time.GetUtcNow();
        await jobs.EnqueueAsync(NewJob(queue, "later", notBefore: now + ShortDelay * 2), default).DefaultTimeout();
        await jobs.EnqueueAsync(NewJob(queue, "sooner", notBefore: now + ShortDelay), default).DefaultTimeout();

        await AdvanceTimeAsync(ShortDelay * 3);

        Assert.Equal("sooner", (await jobs.TakeAsync(queue)).Id);
        Assert.Equal("later", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task AbandonedJobComesBackAfterTheDelayWithTheNextAttempt()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        var original = NewJob(queue, "retried");
        await jobs.EnqueueAsync(original, default).DefaultTimeout();
        var lease = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        Assert.Equal(0, lease.Job.Attempt);

        await jobs.AbandonAsync(lease, ShortDelay * 2, default).DefaultTimeout();
        await AdvanceTimeAsync(ShortDelay);
        await jobs.EnqueueAsync(NewJob(queue, "marker"), default).DefaultTimeout();
        Assert.Equal("marker", (await jobs.TakeAsync(queue)).Id);
        var waiting = jobs.DequeueAsync(queue, default).AsTask();
        await AdvanceTimeAsync(ShortDelay * 1.5);

        var again = (await waiting.DefaultTimeout()).Job;
        Assert.Equal("retried", again.Id);
        Assert.Equal(1, again.Attempt);
        Assert.Equal(original.Signal, again.Signal);
        Assert.Equal(original.Kwargs, again.Kwargs);
        Assert.Equal(original.Handlers, again.Handlers);
    }

    [Fact]
    public async Task AbandonedJobWithoutDelayIsAvailableAtOnce()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        await jobs.EnqueueAsync(NewJob(queue, "retried"), default).DefaultTimeout();
        var first = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        await jobs.AbandonAsync(first, TimeSpan.Zero, default).DefaultTimeout();
        var second = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        await jobs.AbandonAsync(second, TimeSpan.Zero, default).DefaultTimeout();

        var third = await jobs.TakeAsync(queue);
        Assert.Equal("retried", third.Id);
        Assert.Equal(2, third.Attempt);
    }

    [Fact]
    public async Task CompletedJobIsNotDeliveredAgain()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        await jobs.EnqueueAsync(NewJob(queue, "done"), default).DefaultTimeout();
        var lease = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        await jobs.CompleteAsync(lease, default).DefaultTimeout();
        await AdvanceTimeAsync(ShortDelay * 2);
        await jobs.EnqueueAsync(NewJob(queue, "marker"), default).DefaultTimeout();

        Assert.Equal("marker", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task DequeueStopsWaitingWhenCancelledAndTakesNothing()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        using var cancel = new CancellationTokenSource();
        var waiting = jobs.DequeueAsync(queue, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.DefaultTimeout());
        await jobs.EnqueueAsync(NewJob(queue, "after-cancel"), default).DefaultTimeout();
        Assert.Equal("after-cancel", (await jobs.TakeAsync(queue)).Id);
    }

    [Fact]
    public async Task DequeueWithAlreadyCancelledTokenThrows()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => jobs.DequeueAsync(queue, new CancellationToken(canceled: true)).DefaultTimeout());
    }

    [Fact]
    public async Task EveryFieldOfAJobSurvivesTheQueue()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        var sample = SampleJobs.Full(queue, Time.GetUtcNow());
        DeepEquality.AssertEveryPropertySet(sample);

        await jobs.EnqueueAsync(sample, default).DefaultTimeout();

        DeepEquality.AssertEqual(sample, await jobs.TakeAsync(queue));
    }

    [Fact]
    public async Task ConcurrentlyEnqueuedJobsAreEachDequeuedExactlyOnce()
    {
        const int producers = 4;
        const int perProducer = 100;
        const int total = producers * perProducer;
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        var seen = new ConcurrentDictionary<string, int>();
        var taken = 0;
        using var stop = new CancellationTokenSource();

        var consumers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref taken) < total)
            {
                JobLease lease;
                try
                {
                    lease = await jobs.DequeueAsync(queue, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                seen.AddOrUpdate(lease.Job.Id, 1, (_, n) => n + 1);
                await jobs.CompleteAsync(lease, default);
                if (Interlocked.Increment(ref taken) >= total)
                {
                    await stop.CancelAsync();
                }
            }
        })).ToArray();
        var producing = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                await jobs.EnqueueAsync(NewJob(queue, $"p{p}-{i}"), default);
            }
        }));

        await Task.WhenAll(producing).DefaultTimeout();
        await Task.WhenAll(consumers).WaitAsync(TaskTimeoutExtensions.Timeout * 2);

        Assert.Equal(total, seen.Count);
        Assert.All(seen, pair => Assert.Equal(1, pair.Value));
    }

    /// <summary>Creates a queue backend, tracked for cleanup.</summary>
    protected async Task<IJobQueue> NewQueueAsync()
    {
        var queue = await CreateQueueAsync().DefaultTimeout();
        _created.Add(queue);
        return queue;
    }

    /// <summary>A unique queue name, so tests sharing a backend never see each other's jobs.</summary>
    protected static string NewQueueName() => "spec-" + Guid.NewGuid().ToString("N");

    /// <summary>A minimal server job.</summary>
    protected SignalJob NewJob(string queue, string id, DateTimeOffset? notBefore = null) =>
        SampleJobs.Minimal(queue, id, Time.GetUtcNow(), notBefore);
}
