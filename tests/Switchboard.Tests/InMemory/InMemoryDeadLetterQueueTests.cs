using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.InMemory;
using Switchboard.Specification.Tests;

namespace Switchboard.Tests.InMemory;

public sealed class InMemoryDeadLetterQueueTests : DeadLetterQueueConformanceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    protected override TimeProvider Time => _time;

    protected override int Capacity => InMemoryJobQueue.DeadLetterCapacity;

    protected override Task<IJobQueue> CreateQueueAsync() => Task.FromResult<IJobQueue>(Create(queueCapacity: 10_000));

    [Fact]
    public async Task RequeueCancelledWhileItsQueueIsFullKeepsTheDeadLetterInItsPlace()
    {
        using var jobs = Create(queueCapacity: 1);
        IDeadLetterQueue dead = jobs;
        foreach (var id in new[] { "first", "waiting", "last" })
        {
            await dead.DeadLetterAsync(SampleJobs.Minimal("q", id, _time.GetUtcNow()), "r", default);
        }
        var letters = await dead.ListDeadLettersAsync("q", 10, default);
        await jobs.EnqueueAsync(SampleJobs.Minimal("q", "filler", _time.GetUtcNow()), default);
        using var cancel = new CancellationTokenSource();

        var requeue = dead.RequeueDeadLetterAsync("q", letters[1].Id, cancel.Token).AsTask();
        Assert.False(requeue.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => requeue.DefaultTimeout());
        Assert.Equal(letters.Select(l => l.Id), (await dead.ListDeadLettersAsync("q", 10, default)).Select(l => l.Id));
        Assert.Equal("filler", (await jobs.TakeAsync("q")).Id);
        Assert.True(await dead.RequeueDeadLetterAsync("q", letters[1].Id, default).AsTask().DefaultTimeout());
        Assert.Equal("waiting", (await jobs.TakeAsync("q")).Id);
    }

    private InMemoryJobQueue Create(int queueCapacity) =>
        new(_time, Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions { Workers = new WorkerOptions { QueueCapacity = queueCapacity } }));
}
