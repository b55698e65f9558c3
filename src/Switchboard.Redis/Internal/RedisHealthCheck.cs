using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Redis reachable for one role (<see cref="RedisRoles"/>): the multiplexer connected, a PING answered within
/// <see cref="SwitchboardHealthCheckOptions.Timeout"/> and every primary of the multiplexer connected (on a cluster, a
/// shard down fails it). The description and data name the role, never the endpoint or its password.
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection connection, string roles, IOptions<SwitchboardOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var timeout = options.Value.HealthChecks.Timeout;
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["roles"] = roles };
        try
        {
            var multiplexer = await connection.GetAsync().WaitAsync(timeout, cancellationToken);
            if (!multiplexer.IsConnected)
            {
                // Commands would wait in the multiplexer's backlog until the timeout: answer at once.
                return new HealthCheckResult(context.Registration.FailureStatus, $"Redis ({roles}) is not connected; reconnecting.", data: data);
            }
            var latency = await multiplexer.GetDatabase().PingAsync().WaitAsync(timeout, cancellationToken);
            var primaries = multiplexer.GetServers().Where(s => !s.IsReplica).ToList();
            var down = primaries.Count(s => !s.IsConnected);
            data["latency_ms"] = Math.Round(latency.TotalMilliseconds, 3);
            data["primaries"] = primaries.Count;
            data["primaries_unreachable"] = down;
            return down == 0
                ? HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"Redis ({roles}) answered in {latency.TotalMilliseconds:0.#} ms."), data)
                : new HealthCheckResult(context.Registration.FailureStatus, $"Redis ({roles}): {down} of {primaries.Count} primaries unreachable.", data: data);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The exception's type only: its message names the endpoint, and health responses are often public.
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis ({roles}) unreachable ({e.GetType().Name}).", data: data);
        }
    }
}
