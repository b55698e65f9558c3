using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Operations;

namespace Switchboard.Internal.Health;

/// <summary>
/// <see cref="SwitchboardHealthChecks.Queues"/>: Degraded when a queue holds more waiting jobs than
/// <see cref="SwitchboardHealthCheckOptions.MaxQueueDepth"/> or its oldest one waited longer than
/// <see cref="SwitchboardHealthCheckOptions.MaxOldestJobAge"/>; the failure status when the queues cannot be read in
/// time. Reads through the <see cref="QueueStatisticsSampler"/>, so frequent probes share one read per interval.
/// </summary>
internal sealed class QueuesHealthCheck(QueueStatisticsSampler sampler, IOptions<SwitchboardOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var thresholds = options.Value.HealthChecks;
        IReadOnlyList<QueueStatistics> queues;
        try
        {
            queues = await sampler.GetAsync(cancellationToken).WaitAsync(thresholds.Timeout, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The type only: a backend's message may name hosts, and health responses are often public.
            return new HealthCheckResult(context.Registration.FailureStatus, $"The queue statistics could not be read ({e.GetType().Name}).");
        }
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var over = new List<string>();
        foreach (var queue in queues)
        {
            data[queue.Queue] = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["depth"] = queue.Depth,
                ["leased"] = queue.Leased,
                ["oldest_job_age_seconds"] = Math.Round((queue.OldestJobAge ?? TimeSpan.Zero).TotalSeconds, 3),
                ["delayed"] = queue.Delayed,
                ["dead_letters"] = queue.DeadLetters,
            };
            if (queue.Depth > thresholds.MaxQueueDepth)
            {
                over.Add(string.Create(CultureInfo.InvariantCulture, $"{queue.Queue}: {queue.Depth} jobs waiting (over {thresholds.MaxQueueDepth})"));
            }
            if (queue.OldestJobAge is { } age && age > thresholds.MaxOldestJobAge)
            {
                over.Add(string.Create(CultureInfo.InvariantCulture, $"{queue.Queue}: oldest job waiting {age.TotalSeconds:0.#} s (over {thresholds.MaxOldestJobAge.TotalSeconds:0.#} s)"));
            }
        }
        return over.Count == 0
            ? HealthCheckResult.Healthy($"{queues.Count} queues under their thresholds.", data)
            : HealthCheckResult.Degraded(string.Join("; ", over) + ".", data: data);
    }
}
