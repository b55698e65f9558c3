using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Switchboard.Internal.Diagnostics;

namespace Switchboard.Internal.Operations;

/// <summary>
/// The queue gauges on the meter <c>Switchboard</c> (docs/operations.md): per queue (tag <c>messaging.destination.name</c>),
/// jobs waiting, delayed, dead letters and the oldest waiting job's age. Observed from the
/// <see cref="QueueStatisticsSampler"/>'s last snapshot: a scrape never waits for Redis. A hosted service only so it
/// exists from startup on.
/// </summary>
internal sealed class QueueGauges : IHostedService
{
    public const string QueueTag = "messaging.destination.name";

    public QueueGauges(IMeterFactory meterFactory, QueueStatisticsSampler sampler)
    {
        var meter = meterFactory.Create(SwitchboardMetrics.MeterName);
        meter.CreateObservableGauge("switchboard.queue.depth", () => Observe(sampler, s => s.Depth), "{job}",
            "Jobs waiting for a worker, per queue.");
        meter.CreateObservableGauge("switchboard.queue.delayed", () => Observe(sampler, s => s.Delayed), "{job}",
            "Jobs not due yet (countdown, eta, retry delay), per queue.");
        meter.CreateObservableGauge("switchboard.queue.dead_letters", () => Observe(sampler, s => s.DeadLetters), "{job}",
            "Dead letters kept, per queue.");
        meter.CreateObservableGauge("switchboard.queue.oldest_job_age", () => ObserveAge(sampler), "s",
            "How long the oldest job waiting for a worker has waited, per queue (0 when none waits).");
    }

    private static IEnumerable<Measurement<long>> Observe(QueueStatisticsSampler sampler, Func<QueueStatistics, long> value) =>
        sampler.Latest()?.Select(s => new Measurement<long>(value(s), new KeyValuePair<string, object?>(QueueTag, s.Queue))) ?? [];

    private static IEnumerable<Measurement<double>> ObserveAge(QueueStatisticsSampler sampler) =>
        sampler.Latest()?.Select(s => new Measurement<double>((s.OldestJobAge ?? TimeSpan.Zero).TotalSeconds,
            new KeyValuePair<string, object?>(QueueTag, s.Queue))) ?? [];

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
