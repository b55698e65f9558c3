using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Diagnostics;

namespace Switchboard.Internal.Health;

/// <summary>
/// <see cref="SwitchboardHealthChecks.Windows"/>: Degraded once this node's sockets reach
/// <see cref="SwitchboardHealthCheckOptions.WindowCapacityThreshold"/> of <see cref="SwitchboardOptions.MaxWindows"/> (set,
/// or derived from the open-file limit), so a load balancer can send new pages elsewhere before they get 503.
/// </summary>
internal sealed class WindowsHealthCheck(WindowConnectionHandler windows, IOptions<SwitchboardOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var sockets = windows.Sockets;
        var max = OpenFileLimit.MaxWindows(o);
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["windows"] = sockets };
        if (max is not { } limit)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{sockets} windows (no limit).", data));
        }
        data["max_windows"] = limit;
        var threshold = (long)Math.Ceiling(limit * o.HealthChecks.WindowCapacityThreshold);
        var text = string.Create(CultureInfo.InvariantCulture, $"{sockets} of at most {limit} windows");
        return Task.FromResult(sockets >= threshold
            ? HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture, $"{text}: at or over {o.HealthChecks.WindowCapacityThreshold:P0} of the capacity."), data: data)
            : HealthCheckResult.Healthy(text + ".", data));
    }
}
