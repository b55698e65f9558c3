using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Registry;
using Switchboard.Internal.Workers;

namespace Switchboard.Internal.Health;

/// <summary>
/// <see cref="SwitchboardHealthChecks.Workers"/>: when this process runs workers, every queue it should serve has a
/// running worker loop — the queues listed in <see cref="WorkerOptions.Queues"/>, or in one process every queue that
/// has handlers — plus the queue of delayed browser messages. A process that runs no workers (a web node on Redis) is
/// Healthy: it has nothing to serve.
/// </summary>
internal sealed class WorkersHealthCheck(WorkerHost host, SignalRegistry registry, IOptions<SwitchboardOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var workers = o.Workers;
        if (!workers.Enabled || (workers.Queues.Count == 0 && !workers.ServeAllQueuesWhenNoneListed))
        {
            return Task.FromResult(HealthCheckResult.Healthy("This process runs no workers."));
        }
        IEnumerable<string> expected = workers.Queues.Count > 0
            ? workers.Queues
            : registry.KnownQueues.Prepend(o.DefaultQueue);
        var running = host.RunningWorkers();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var unserved = new List<string>();
        foreach (var queue in expected.Append(SignalDispatcher.DeliveryQueue).Distinct(StringComparer.Ordinal))
        {
            var count = running.GetValueOrDefault(queue);
            data[queue] = count;
            if (count == 0)
            {
                unserved.Add(queue);
            }
        }
        return Task.FromResult(unserved.Count == 0
            ? HealthCheckResult.Healthy($"Workers serve {data.Count} queues.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"No running worker for queue(s) {string.Join(", ", unserved)}.", data: data));
    }
}
