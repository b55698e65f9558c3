namespace Switchboard.Specification.Tests;

/// <summary>
/// The contract of <see cref="IDeadLetterQueue"/>, run against every implementation together with the
/// <see cref="IJobQueue"/> its dead letters go back to. "Nothing else is on the queue" is checked by enqueueing a marker
/// job and seeing the marker come out first.
/// </summary>
public abstract class DeadLetterQueueConformanceTests : IAsyncLifetime
{
    private readonly List<IJobQueue> _created = [];

    /// <summary>Creates an empty job queue backend whose dead letters keep <see cref="Capacity"/> per queue.</summary>
    protected abstract Task<IJobQueue> CreateQueueAsync();

    /// <summary>How many dead letters a queue keeps at least: the capacity the backend was created with.</summary>
    protected abstract int Capacity { get; }

    /// <summary>
    /// How many more than <see cref="Capacity"/> to dead-letter before the oldest must be gone. <value>The default, 1,
    /// is for an exact trim; an approximate one (Redis streams trim whole nodes) needs more.</value>
    /// </summary>
    protected virtual int DeadLettersBeyondCapacity => 1;

    /// <summary>The queue's clock, for the jobs' times. <value>The default is the system clock.</value></summary>
    protected virtual TimeProvider Time => TimeProvider.System;

    /// <summary>The dead letters of <paramref name="jobs"/>: by default the job queue itself, as every queue implements both.</summary>
    protected virtual IDeadLetterQueue DeadLettersOf(IJobQueue jobs) =>
        jobs as IDeadLetterQueue ?? throw new InvalidOperationException($"{jobs?.GetType().Name} does not implement IDeadLetterQueue.");

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
    public async Task DeadLetterKeepsEveryFieldOfItsJobAndItsReasonAndLeavesTheQueueEmpty()
    {
        var (jobs, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        var job = SampleJobs.Full(queue, Time.GetUtcNow());
        DeepEquality.AssertEveryPropertySet(job);
        const string reason = "Handler spec.every.field#delegate1 threw InvalidOperationException: caf\u00e9 \"closed\"\nline 2";

        await dead.DeadLetterAsync(job, reason, default).DefaultTimeout();

        var letter = Assert.Single(await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());
        Assert.False(string.IsNullOrEmpty(letter.Id));
        Assert.Equal(reason, letter.Reason);
        DeepEquality.AssertEqual(job, letter.Job);
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
    }

    [Fact]
    public async Task DeadLettersAreListedOldestFirstUpToTheCountEachWithItsOwnId()
    {
        var (_, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        string[] ids = ["a", "b", "c", "d", "e"];
        foreach (var id in ids)
        {
            await dead.DeadLetterAsync(NewJob(queue, id), "failed " + id, default).DefaultTimeout();
        }

        var all = await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout();

        Assert.Equal(ids, all.Select(l => l.Job?.Id));
        Assert.Equal(ids.Select(id => "failed " + id), all.Select(l => l.Reason));
        Assert.Equal(ids.Length, all.Select(l => l.Id).Distinct().Count());
        Assert.Equal(["a", "b"], (await dead.ListDeadLettersAsync(queue, 2, default).DefaultTimeout()).Select(l => l.Job?.Id));
        Assert.Equal(all.Select(l => l.Id), (await dead.ListDeadLettersAsync(queue, 5, default).DefaultTimeout()).Select(l => l.Id));
        Assert.Empty(await dead.ListDeadLettersAsync(queue, 0, default).DefaultTimeout());
    }

    [Fact]
    public async Task QueuesKeepTheirDeadLettersApart()
    {
        var (_, dead) = await NewQueueAsync();
        var (first, second) = (NewQueueName(), NewQueueName());
        await dead.DeadLetterAsync(NewJob(first, "first-1"), "r", default).DefaultTimeout();
        await dead.DeadLetterAsync(NewJob(second, "second-1"), "r", default).DefaultTimeout();
        await dead.DeadLetterAsync(NewJob(first, "first-2"), "r", default).DefaultTimeout();

        var inFirst = await dead.ListDeadLettersAsync(first, 10, default).DefaultTimeout();
        var inSecond = await dead.ListDeadLettersAsync(second, 10, default).DefaultTimeout();

        Assert.Equal(["first-1", "first-2"], inFirst.Select(l => l.Job?.Id));
        Assert.Equal(["second-1"], inSecond.Select(l => l.Job?.Id));
        Assert.Empty(await dead.ListDeadLettersAsync(NewQueueName(), 10, default).DefaultTimeout());
        // A dead letter is found only in its own queue. Ids are per queue (on Redis, stream ids: two queues' letters written
        // in the same millisecond have the same id), so ask with one of the first queue's ids the second does not have.
        var foreign = inFirst.Select(l => l.Id).First(id => inSecond.All(l => l.Id != id));
        Assert.False(await dead.RequeueDeadLetterAsync(second, foreign, default).DefaultTimeout());
        Assert.Equal(inFirst.Select(l => l.Id), (await dead.ListDeadLettersAsync(first, 10, default).DefaultTimeout()).Select(l => l.Id));
    }

    [Fact]
    public async Task RequeuedDeadLetterIsBackOnItsQueueAsAFreshJobAvailableAtOnceAndLeavesTheList()
    {
        var (jobs, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        // Its last attempt was to run in an hour: a re-queued job starts over, now.
        var failed = SampleJobs.Full(queue, Time.GetUtcNow()).WithAttempt(4, Time.GetUtcNow() + TimeSpan.FromHours(1), ["spec.every.field#delegate1"]);
        await dead.DeadLetterAsync(NewJob(queue, "older"), "r", default).DefaultTimeout();
        await dead.DeadLetterAsync(failed, "r", default).DefaultTimeout();
        await dead.DeadLetterAsync(NewJob(queue, "newer"), "r", default).DefaultTimeout();
        var letters = await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout();

        Assert.True(await dead.RequeueDeadLetterAsync(queue, letters[1].Id, default).DefaultTimeout());

        DeepEquality.AssertEqual(failed.WithAttempt(0, null), await jobs.TakeAsync(queue));
        Assert.Equal(["older", "newer"], (await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout()).Select(l => l.Job?.Id));
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
    }

    [Fact]
    public async Task DeadLetterIsRequeuedOnlyOnce()
    {
        var (jobs, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        await dead.DeadLetterAsync(NewJob(queue, "once"), "r", default).DefaultTimeout();
        var letter = Assert.Single(await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());

        Assert.True(await dead.RequeueDeadLetterAsync(queue, letter.Id, default).DefaultTimeout());
        Assert.False(await dead.RequeueDeadLetterAsync(queue, letter.Id, default).DefaultTimeout());

        Assert.Equal("once", (await jobs.TakeAsync(queue)).Id);
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        Assert.Empty(await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());
    }

    [Fact]
    public async Task ConcurrentRequeuesOfOneDeadLetterPutItBackOnce()
    {
        var (jobs, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        await dead.DeadLetterAsync(NewJob(queue, "contended"), "r", default).DefaultTimeout();
        var letter = Assert.Single(await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());

        var results = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(async () => await dead.RequeueDeadLetterAsync(queue, letter.Id, default)))).DefaultTimeout();

        Assert.Single(results, requeued => requeued);
        Assert.Equal("contended", (await jobs.TakeAsync(queue)).Id);
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("0")]
    [InlineData("0-0")]
    [InlineData("1-1")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999-1")]
    [InlineData("*")]
    [InlineData("+")]
    public async Task IdThatNamesNoDeadLetterIsNotRequeuedAndChangesNothing(string id)
    {
        var (jobs, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        await dead.DeadLetterAsync(NewJob(queue, "kept"), "r", default).DefaultTimeout();
        var before = await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout();

        Assert.False(await dead.RequeueDeadLetterAsync(queue, id, default).DefaultTimeout());
        Assert.False(await dead.RequeueDeadLetterAsync(NewQueueName(), id, default).DefaultTimeout());
        Assert.False(await dead.RequeueDeadLetterAsync(NewQueueName(), before[0].Id, default).DefaultTimeout());

        Assert.Equal(before.Select(l => l.Id), (await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout()).Select(l => l.Id));
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
    }

    [Fact]
    public async Task PastTheCapacityTheOldestDeadLettersAreDroppedAndTheNewestKept()
    {
        var (_, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        var total = Capacity + DeadLettersBeyondCapacity;
        for (var i = 0; i < total; i++)
        {
            await dead.DeadLetterAsync(NewJob(queue, "letter-" + i), "r", default).DefaultTimeout();
        }

        var kept = (await dead.ListDeadLettersAsync(queue, total, default).DefaultTimeout()).Select(l => l.Job?.Id).ToList();

        Assert.InRange(kept.Count, Capacity, total - 1);
        Assert.DoesNotContain("letter-0", kept);
        Assert.Equal(Enumerable.Range(total - kept.Count, kept.Count).Select(i => "letter-" + i), kept);
    }

    [Fact]
    public async Task CallWithAnAlreadyCancelledTokenThrowsAndChangesNothing()
    {
        var (jobs, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        await dead.DeadLetterAsync(NewJob(queue, "kept"), "r", default).DefaultTimeout();
        var letter = Assert.Single(await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());
        var cancelled = new CancellationToken(canceled: true);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dead.DeadLetterAsync(NewJob(queue, "not-added"), "r", cancelled).DefaultTimeout());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dead.ListDeadLettersAsync(queue, 10, cancelled).DefaultTimeout());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dead.RequeueDeadLetterAsync(queue, letter.Id, cancelled).DefaultTimeout());

        Assert.Equal([letter.Id], (await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout()).Select(l => l.Id));
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        Assert.True(await dead.RequeueDeadLetterAsync(queue, letter.Id, default).DefaultTimeout());
        Assert.Equal("kept", (await jobs.TakeAsync(queue)).Id);
    }

    /// <summary>The statistics of <paramref name="jobs"/>: by default the job queue itself, as every queue implements both.</summary>
    protected virtual IQueueStatistics StatisticsOf(IJobQueue jobs) =>
        jobs as IQueueStatistics ?? throw new InvalidOperationException($"{jobs?.GetType().Name} does not implement IQueueStatistics.");

    [Fact]
    public async Task StatisticsCountTheDeadLettersOfEachQueue()
    {
        var (jobs, dead) = await NewQueueAsync();
        var (first, second) = (NewQueueName(), NewQueueName());
        for (var i = 0; i < 3; i++)
        {
            await dead.DeadLetterAsync(NewJob(first, "first-" + i), "r", default).DefaultTimeout();
        }
        await dead.DeadLetterAsync(NewJob(second, "second"), "r", default).DefaultTimeout();

        var stats = await StatisticsOf(jobs).GetStatisticsAsync(first, default).DefaultTimeout();

        Assert.Equal(new QueueStatistics(first, 0, 0, null, 0, 3), stats);
        Assert.Equal(1, (await StatisticsOf(jobs).GetStatisticsAsync(second, default).DefaultTimeout()).DeadLetters);
    }

    [Fact]
    public async Task DeletedDeadLetterIsGoneForGoodAndOnlyIt()
    {
        var (jobs, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        foreach (var id in new[] { "a", "b", "c" })
        {
            await dead.DeadLetterAsync(NewJob(queue, id), "r", default).DefaultTimeout();
        }
        var letters = await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout();

        Assert.True(await dead.DeleteDeadLetterAsync(queue, letters[1].Id, default).DefaultTimeout());

        Assert.Equal(["a", "c"], (await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout()).Select(l => l.Job?.Id));
        Assert.False(await dead.DeleteDeadLetterAsync(queue, letters[1].Id, default).DefaultTimeout());
        Assert.False(await dead.RequeueDeadLetterAsync(queue, letters[1].Id, default).DefaultTimeout());
        Assert.Equal(2, (await StatisticsOf(jobs).GetStatisticsAsync(queue, default).DefaultTimeout()).DeadLetters);
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("0-0")]
    [InlineData("99999999999999999999999-1")]
    [InlineData("*")]
    [InlineData("-")]
    public async Task DeletingAnIdThatNamesNoDeadLetterChangesNothing(string id)
    {
        var (_, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        await dead.DeadLetterAsync(NewJob(queue, "kept"), "r", default).DefaultTimeout();
        var before = await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout();

        Assert.False(await dead.DeleteDeadLetterAsync(queue, id, default).DefaultTimeout());
        Assert.False(await dead.DeleteDeadLetterAsync(NewQueueName(), before[0].Id, default).DefaultTimeout());

        Assert.Equal(before.Select(l => l.Id), (await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout()).Select(l => l.Id));
    }

    [Fact]
    public async Task ConcurrentDeletesOfOneDeadLetterDeleteItOnce()
    {
        var (_, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        await dead.DeadLetterAsync(NewJob(queue, "contended"), "r", default).DefaultTimeout();
        var letter = Assert.Single(await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());

        var results = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(async () => await dead.DeleteDeadLetterAsync(queue, letter.Id, default)))).DefaultTimeout();

        Assert.Single(results, deleted => deleted);
        Assert.Empty(await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());
    }

    [Fact]
    public async Task DeletingAllDeadLettersOfAQueueCountsThemAndLeavesOtherQueuesAlone()
    {
        var (jobs, dead) = await NewQueueAsync();
        var (queue, other) = (NewQueueName(), NewQueueName());
        for (var i = 0; i < 4; i++)
        {
            await dead.DeadLetterAsync(NewJob(queue, "gone-" + i), "r", default).DefaultTimeout();
        }
        await dead.DeadLetterAsync(NewJob(other, "kept"), "r", default).DefaultTimeout();

        Assert.Equal(4, await dead.DeleteDeadLettersAsync(queue, default).DefaultTimeout());

        Assert.Empty(await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());
        Assert.Equal(0, await dead.DeleteDeadLettersAsync(queue, default).DefaultTimeout());
        Assert.Equal(0, await dead.DeleteDeadLettersAsync(NewQueueName(), default).DefaultTimeout());
        Assert.Equal(["kept"], (await dead.ListDeadLettersAsync(other, 10, default).DefaultTimeout()).Select(l => l.Job?.Id));
        await jobs.AssertNothingAvailableAsync(queue, Time.GetUtcNow());
        // The queue takes new dead letters afterwards.
        await dead.DeadLetterAsync(NewJob(queue, "new"), "r", default).DefaultTimeout();
        Assert.Equal(["new"], (await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout()).Select(l => l.Job?.Id));
    }

    [Fact]
    public async Task DeleteWithAnAlreadyCancelledTokenThrowsAndChangesNothing()
    {
        var (_, dead) = await NewQueueAsync();
        var queue = NewQueueName();
        await dead.DeadLetterAsync(NewJob(queue, "kept"), "r", default).DefaultTimeout();
        var letter = Assert.Single(await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout());
        var cancelled = new CancellationToken(canceled: true);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dead.DeleteDeadLetterAsync(queue, letter.Id, cancelled).AsTask().DefaultTimeout());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dead.DeleteDeadLettersAsync(queue, cancelled).AsTask().DefaultTimeout());

        Assert.Equal([letter.Id], (await dead.ListDeadLettersAsync(queue, 10, default).DefaultTimeout()).Select(l => l.Id));
    }

    /// <summary>Creates a queue backend, tracked for cleanup, and its dead letters.</summary>
    protected async Task<(IJobQueue Jobs, IDeadLetterQueue DeadLetters)> NewQueueAsync()
    {
        var queue = await CreateQueueAsync().DefaultTimeout();
        _created.Add(queue);
        return (queue, DeadLettersOf(queue));
    }

    /// <summary>A unique queue name, so tests sharing a backend never see each other's dead letters.</summary>
    protected static string NewQueueName() => "spec-dead-" + Guid.NewGuid().ToString("N");

    /// <summary>A minimal server job that "failed".</summary>
    protected SignalJob NewJob(string queue, string id) => SampleJobs.Minimal(queue, id, Time.GetUtcNow()).WithAttempt(2, null);
}
