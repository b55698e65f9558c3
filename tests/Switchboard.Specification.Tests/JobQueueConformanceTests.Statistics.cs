namespace Switchboard.Specification.Tests;

/// <summary>
/// <see cref="IQueueStatistics"/>: what a queue holds, read without taking anything. A durable queue may fetch more jobs
/// than the one dequeued into its worker process's buffer (they are leased then, not waiting), so after a dequeue the
/// tests check waiting + leased, not each.
/// </summary>
public abstract partial class JobQueueConformanceTests
{
    /// <summary>The statistics of <paramref name="jobs"/>: by default the job queue itself, as every queue implements both.</summary>
    protected virtual IQueueStatistics StatisticsOf(IJobQueue jobs) =>
        jobs as IQueueStatistics ?? throw new InvalidOperationException($"{jobs?.GetType().Name} does not implement IQueueStatistics.");

    [Fact]
    public async Task StatisticsOfAQueueNeverUsedAreAllZero()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();

        var stats = await StatisticsOf(jobs).GetStatisticsAsync(queue, default).DefaultTimeout();

        Assert.Equal(new QueueStatistics(queue, 0, 0, null, 0, 0), stats);
    }

    [Fact]
    public async Task StatisticsCountWaitingAndDelayedJobsApart()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        for (var i = 0; i < 3; i++)
        {
            await jobs.EnqueueAsync(NewJob(queue, "now-" + i), default).DefaultTimeout();
        }
        for (var i = 0; i < 2; i++)
        {
            await jobs.EnqueueAsync(NewJob(queue, "later-" + i, notBefore: Time.GetUtcNow() + TimeSpan.FromHours(1)), default).DefaultTimeout();
        }

        var stats = await StatisticsOf(jobs).GetStatisticsAsync(queue, default).DefaultTimeout();

        Assert.Equal((3L, 0L, 2L, 0L), (stats.Depth, stats.Leased, stats.Delayed, stats.DeadLetters));
        Assert.NotNull(stats.OldestJobAge);
        var other = NewQueueName();
        Assert.Equal(new QueueStatistics(other, 0, 0, null, 0, 0), await StatisticsOf(jobs).GetStatisticsAsync(other, default).DefaultTimeout());
    }

    [Fact]
    public async Task LeasedJobsAreCountedUntilCompletedOrGivenBack()
    {
        var jobs = await NewQueueAsync();
        var statistics = StatisticsOf(jobs);
        var queue = NewQueueName();
        await jobs.EnqueueAsync(NewJob(queue, "a"), default).DefaultTimeout();
        await jobs.EnqueueAsync(NewJob(queue, "b"), default).DefaultTimeout();

        var first = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        var held = await statistics.GetStatisticsAsync(queue, default).DefaultTimeout();
        Assert.InRange(held.Leased, 1, 2);
        Assert.Equal(2, held.Depth + held.Leased);

        await jobs.CompleteAsync(first, default).DefaultTimeout();
        var second = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        Assert.Equal((0L, 1L), await DepthAndLeasedAsync(statistics, queue));

        // Given back for later: no longer leased, delayed instead.
        await jobs.AbandonAsync(second, TimeSpan.FromHours(1), default).DefaultTimeout();
        var after = await statistics.GetStatisticsAsync(queue, default).DefaultTimeout();
        Assert.Equal((0L, 0L, 1L), (after.Depth, after.Leased, after.Delayed));
        Assert.Null(after.OldestJobAge);
    }

    [Fact]
    public async Task ALeaseCompletedTwiceIsUncountedOnce()
    {
        var jobs = await NewQueueAsync();
        var statistics = StatisticsOf(jobs);
        var queue = NewQueueName();
        await jobs.EnqueueAsync(NewJob(queue, "once"), default).DefaultTimeout();
        var lease = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        await jobs.CompleteAsync(lease, default).DefaultTimeout();
        await jobs.CompleteAsync(lease, default).DefaultTimeout();

        await jobs.EnqueueAsync(NewJob(queue, "next"), default).DefaultTimeout();
        var next = await jobs.DequeueAsync(queue, default).DefaultTimeout();

        Assert.Equal((0L, 1L), await DepthAndLeasedAsync(statistics, queue));
        await jobs.CompleteAsync(next, default).DefaultTimeout();
        Assert.Equal((0L, 0L), await DepthAndLeasedAsync(statistics, queue));
    }

    [Fact]
    public async Task OldestJobAgeIsTheOldestWaitingJobsWait()
    {
        var jobs = await NewQueueAsync();
        var statistics = StatisticsOf(jobs);
        var queue = NewQueueName();
        await jobs.EnqueueAsync(NewJob(queue, "oldest"), default).DefaultTimeout();
        await AdvanceTimeAsync(ShortDelay);
        await jobs.EnqueueAsync(NewJob(queue, "newer"), default).DefaultTimeout();
        await AdvanceTimeAsync(ShortDelay);

        var stats = await statistics.GetStatisticsAsync(queue, default).DefaultTimeout();

        // A durable queue stamps jobs with its server's clock, in whole milliseconds: a little slack below.
        Assert.Equal(2, stats.Depth);
        Assert.InRange(stats.OldestJobAge!.Value, ShortDelay * 2 - TimeSpan.FromMilliseconds(50), ShortDelay * 2 + TaskTimeoutExtensions.Timeout);
    }

    [Fact]
    public async Task JobsBehindTheFirstOfTheirOrderingKeyDoNotWaitForAWorkerYet()
    {
        var jobs = await NewQueueAsync();
        var queue = NewQueueName();
        for (var i = 0; i < 3; i++)
        {
            await jobs.EnqueueAsync(KeyedJob(queue, "keyed-" + i, "window-1"), default).DefaultTimeout();
        }
        await jobs.EnqueueAsync(NewJob(queue, "plain"), default).DefaultTimeout();

        Assert.Equal((2L, 0L), await DepthAndLeasedAsync(StatisticsOf(jobs), queue));
    }

    [Fact]
    public async Task StatisticsWithAnAlreadyCancelledTokenThrow()
    {
        var jobs = await NewQueueAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => StatisticsOf(jobs).GetStatisticsAsync(NewQueueName(), new CancellationToken(canceled: true)).AsTask().DefaultTimeout());
    }

    private static async Task<(long Depth, long Leased)> DepthAndLeasedAsync(IQueueStatistics statistics, string queue)
    {
        var stats = await statistics.GetStatisticsAsync(queue, default).DefaultTimeout();
        return (stats.Depth, stats.Leased);
    }
}
