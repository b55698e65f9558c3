using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Switchboard.Internal.Operations;
using Switchboard.Specification.Tests;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Operations;

/// <summary><see cref="ISwitchboardQueues"/>, its sampler and the queue gauges, on the in-memory backend and a fake clock.</summary>
public sealed class SwitchboardQueuesTests
{
    [Fact]
    public async Task QueueNamesAreTheQueuesOfHandlersListedQueuesAndDeliveries()
    {
        await using var sb = await CreateAsync(o => o.Workers.Queues = ["listed", "slow"]);

        var queues = sb.Services.GetRequiredService<ISwitchboardQueues>();

        Assert.Equal(["default", "slow", "listed", "switchboard.deliveries"], queues.QueueNames);
        Assert.Equal(queues.QueueNames, (await queues.GetQueuesAsync(default)).Select(q => q.Queue));
    }

    [Fact]
    public async Task RequeueingAllPutsBackTheLettersThereAtTheStartOnly()
    {
        await using var sb = await CreateAsync();
        var queues = sb.Services.GetRequiredService<ISwitchboardQueues>();
        foreach (var id in new[] { "a", "b", "c" })
        {
            await sb.Jobs.DeadLetterAsync(SampleJobs.Minimal("default", id, sb.Time.GetUtcNow()).WithAttempt(3, null), "failed", default);
        }

        Assert.Equal(3, await queues.RequeueDeadLettersAsync("default", default));

        Assert.Equal(["a", "b", "c"], [(await sb.TakeJobAsync("default")).Id, (await sb.TakeJobAsync("default")).Id, (await sb.TakeJobAsync("default")).Id]);
        Assert.Empty(await queues.ListDeadLettersAsync("default", 10, default));
        Assert.Equal(0, await queues.RequeueDeadLettersAsync("default", default));
    }

    [Fact]
    public async Task DeletingThroughTheApiReachesTheQueue()
    {
        await using var sb = await CreateAsync();
        var queues = sb.Services.GetRequiredService<ISwitchboardQueues>();
        await sb.Jobs.DeadLetterAsync(SampleJobs.Minimal("slow", "one", sb.Time.GetUtcNow()), "failed", default);
        await sb.Jobs.DeadLetterAsync(SampleJobs.Minimal("slow", "two", sb.Time.GetUtcNow()), "failed", default);
        var letters = await queues.ListDeadLettersAsync("slow", 10, default);

        Assert.True(await queues.DeleteDeadLetterAsync("slow", letters[0].Id, default));
        Assert.Equal(1, (await queues.GetQueueAsync("slow", default)).DeadLetters);
        Assert.Equal(1, await queues.DeleteDeadLettersAsync("slow", default));
        Assert.Equal(0, (await queues.GetQueueAsync("slow", default)).DeadLetters);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public async Task ListingOutsideOneToTenThousandIsRefused(int count)
    {
        await using var sb = await CreateAsync();
        var queues = sb.Services.GetRequiredService<ISwitchboardQueues>();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queues.ListDeadLettersAsync("default", count, default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => queues.GetQueueAsync("", default).AsTask());
    }

    [Fact]
    public async Task ConcurrentReadersShareOneReadPerInterval()
    {
        var counting = new CountingStatistics();
        await using var sb = await CreateAsync(services: s => s.AddSingleton<IQueueStatistics>(counting));
        var sampler = sb.Services.GetRequiredService<QueueStatisticsSampler>();
        counting.Gate = new TaskCompletionSource();

        var readers = Enumerable.Range(0, 5).Select(_ => sampler.GetAsync(default)).ToArray();
        counting.Gate.SetResult();
        await Task.WhenAll(readers).DefaultTimeout();
        var afterFirst = counting.Reads;
        await sampler.GetAsync(default).DefaultTimeout();
        sb.Time.Advance(TimeSpan.FromSeconds(5));
        await sampler.GetAsync(default).DefaultTimeout();

        // One read is one call per queue (default, slow, deliveries).
        Assert.Equal(3, afterFirst);
        Assert.Equal(6, counting.Reads);
    }

    [Fact]
    public async Task GaugesReportTheLastReadAndNeverWaitForOne()
    {
        await using var sb = await CreateAsync();
        var factory = sb.Services.GetRequiredService<IMeterFactory>();
        using var depth = new MetricCollector<long>(factory, "Switchboard", "switchboard.queue.depth");
        using var delayed = new MetricCollector<long>(factory, "Switchboard", "switchboard.queue.delayed");
        using var dead = new MetricCollector<long>(factory, "Switchboard", "switchboard.queue.dead_letters");
        using var age = new MetricCollector<double>(factory, "Switchboard", "switchboard.queue.oldest_job_age");
        sb.Services.GetRequiredService<QueueGauges>();
        await sb.Jobs.EnqueueAsync(SampleJobs.Minimal("slow", "1", sb.Time.GetUtcNow()), default);
        await sb.Jobs.EnqueueAsync(SampleJobs.Minimal("slow", "2", sb.Time.GetUtcNow()), default);
        await sb.Jobs.EnqueueAsync(SampleJobs.Minimal("slow", "3", sb.Time.GetUtcNow(), sb.Time.GetUtcNow() + TimeSpan.FromHours(1)), default);
        await sb.Jobs.DeadLetterAsync(SampleJobs.Minimal("default", "4", sb.Time.GetUtcNow()), "failed", default);
        sb.Time.Advance(TimeSpan.FromSeconds(3));

        // The first scrape starts a read and reports nothing yet; the next one reports it.
        depth.RecordObservableInstruments();
        Assert.Empty(depth.GetMeasurementSnapshot());
        await sb.Services.GetRequiredService<QueueStatisticsSampler>().GetAsync(default).DefaultTimeout();
        depth.RecordObservableInstruments();

        Assert.Equal(2, Last(depth, "slow"));
        Assert.Equal(0, Last(depth, "default"));
        Assert.Equal(1, Last(delayed, "slow"));
        Assert.Equal(1, Last(dead, "default"));
        Assert.Equal(3.0, Last(age, "slow"));
        Assert.Equal(0.0, Last(age, "default"));

        // Past three intervals without a successful read, the gauges report nothing rather than stale values.
        sb.Time.Advance(TimeSpan.FromSeconds(16));
        depth.GetMeasurementSnapshot(clear: true);
        depth.RecordObservableInstruments();
        Assert.Empty(depth.GetMeasurementSnapshot());
    }

    private static T Last<T>(MetricCollector<T> collector, string queue) where T : struct
    {
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot().Last(m => (string?)m.Tags[QueueGauges.QueueTag] == queue).Value;
    }

    private static Task<SwitchboardHarness> CreateAsync(Action<SwitchboardOptions>? options = null, Action<IServiceCollection>? services = null) =>
        SwitchboardHarness.CreateAsync(
            b =>
            {
                b.MapSignal("tests.ops.default", (WindowInfo w) => { });
                b.MapSignal("tests.ops.slow", (WindowInfo w) => { }).OnQueue("slow");
            },
            options,
            services);

    private sealed class CountingStatistics : IQueueStatistics
    {
        private int _reads;

        public TaskCompletionSource? Gate { get; set; }

        public int Reads => Volatile.Read(ref _reads);

        public async ValueTask<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            if (Gate is { } gate)
            {
                await gate.Task;
            }
            return new QueueStatistics(queue, 0, 0, null, 0, 0);
        }
    }
}
