using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.InMemory;
using Switchboard.Specification.Tests;

namespace Switchboard.Tests.InMemory;

public sealed class InMemoryJobQueueTests : JobQueueConformanceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    protected override TimeProvider Time => _time;

    protected override Task<IJobQueue> CreateQueueAsync() => Task.FromResult<IJobQueue>(Create(capacity: 10_000));

    protected override Task AdvanceTimeAsync(TimeSpan by)
    {
        _time.Advance(by);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task FullQueueMakesEnqueueWaitInsteadOfDroppingTheJob()
    {
        using var jobs = Create(capacity: 2);
        await jobs.EnqueueAsync(NewJob("q", "1"), default);
        await jobs.EnqueueAsync(NewJob("q", "2"), default);

        var third = jobs.EnqueueAsync(NewJob("q", "3"), default).AsTask();
        Assert.False(third.IsCompleted);
        Assert.Equal("1", (await jobs.TakeAsync("q")).Id);
        await third.DefaultTimeout();

        Assert.Equal("2", (await jobs.TakeAsync("q")).Id);
        Assert.Equal("3", (await jobs.TakeAsync("q")).Id);
    }

    [Fact]
    public async Task DelayedJobIsHeldApartUntilDue()
    {
        using var jobs = Create(capacity: 10);
        await jobs.EnqueueAsync(NewJob("q", "later", notBefore: _time.GetUtcNow() + TimeSpan.FromSeconds(30)), default);
        var waiting = jobs.DequeueAsync("q", default).AsTask();

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("later", (await waiting.DefaultTimeout()).Job.Id);
    }

    [Fact]
    public async Task DueJobWaitsForRoomWhenItsQueueIsFull()
    {
        using var jobs = Create(capacity: 1);
        await jobs.EnqueueAsync(NewJob("q", "delayed", notBefore: _time.GetUtcNow() + TimeSpan.FromSeconds(1)), default);
        await jobs.EnqueueAsync(NewJob("q", "filler"), default);

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("filler", (await jobs.TakeAsync("q")).Id);
        Assert.Equal("delayed", (await jobs.TakeAsync("q")).Id);
    }

    [Fact]
    public async Task EarlierDelayedJobEnqueuedLaterReschedulesTheTimer()
    {
        using var jobs = Create(capacity: 10);
        await jobs.EnqueueAsync(NewJob("q", "in-an-hour", notBefore: _time.GetUtcNow() + TimeSpan.FromHours(1)), default);
        await jobs.EnqueueAsync(NewJob("q", "in-a-second", notBefore: _time.GetUtcNow() + TimeSpan.FromSeconds(1)), default);
        var waiting = jobs.DequeueAsync("q", default).AsTask();

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("in-a-second", (await waiting.DefaultTimeout()).Job.Id);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal("in-an-hour", (await jobs.TakeAsync("q")).Id);
    }

    [Fact]
    public async Task KeyWhoseLineEmptiedStartsANewLineAtOnce()
    {
        // A line exists exactly while it has a first job; an emptied line is removed, so the key's next job is first.
        using var jobs = Create(capacity: 10);
        await jobs.EnqueueAsync(KeyedJob("q", "1", "w"), default);
        await jobs.EnqueueAsync(KeyedJob("q", "2", "w"), default);
        Assert.Equal("1", (await jobs.TakeAsync("q")).Id);
        Assert.Equal("2", (await jobs.TakeAsync("q")).Id);

        await jobs.EnqueueAsync(KeyedJob("q", "3", "w"), default);

        Assert.Equal("3", (await jobs.TakeAsync("q")).Id);
    }

    [Fact]
    public async Task JobsWaitingInLinesAreBoundedByTheQueueCapacity()
    {
        using var jobs = Create(capacity: 2);
        await jobs.EnqueueAsync(KeyedJob("q", "1", "w"), default);
        await jobs.EnqueueAsync(KeyedJob("q", "2", "w"), default);

        var third = jobs.EnqueueAsync(KeyedJob("q", "3", "w"), default).AsTask();
        Assert.False(third.IsCompleted);
        Assert.Equal("1", (await jobs.TakeAsync("q")).Id);
        await third.DefaultTimeout();

        Assert.Equal("2", (await jobs.TakeAsync("q")).Id);
        Assert.Equal("3", (await jobs.TakeAsync("q")).Id);
    }

    [Fact]
    public async Task EnqueueCancelledWhileWaitingForRoomInLineChangesNothing()
    {
        using var jobs = Create(capacity: 1);
        await jobs.EnqueueAsync(KeyedJob("q", "1", "w"), default);
        using var cancel = new CancellationTokenSource();

        var second = jobs.EnqueueAsync(KeyedJob("q", "2", "w"), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.DefaultTimeout());
        Assert.Equal("1", (await jobs.TakeAsync("q")).Id);
        await jobs.EnqueueAsync(KeyedJob("q", "3", "w"), default);
        Assert.Equal("3", (await jobs.TakeAsync("q")).Id);
    }

    private SignalJob KeyedJob(string queue, string id, string key) => SampleJobs.Minimal(queue, id, _time.GetUtcNow(), orderingKey: key);

    private InMemoryJobQueue Create(int capacity) =>
        new(_time, Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions { Workers = new WorkerOptions { QueueCapacity = capacity } }));
}
