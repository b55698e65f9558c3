using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Health;
using Switchboard.Internal.Operations;
using Switchboard.Internal.Registry;
using Switchboard.Internal.Workers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Switchboard's health checks to ASP.NET Core health checks.</summary>
public static class SwitchboardHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the checks <see cref="SwitchboardHealthChecks.Workers"/>, <see cref="SwitchboardHealthChecks.Queues"/> and
    /// <see cref="SwitchboardHealthChecks.Windows"/>, and those of the backend in use (Switchboard.Redis: Redis reachable,
    /// per role), all tagged <see cref="SwitchboardHealthChecks.Tag"/> and <paramref name="tags"/>. Thresholds come from
    /// <c>Switchboard:HealthChecks</c> (<see cref="SwitchboardOptions.HealthChecks"/>), then <paramref name="configure"/>.
    /// Needs <c>services.AddSwitchboard()</c> (before or after). A second call adds only its <paramref name="configure"/>.
    /// </summary>
    public static IHealthChecksBuilder AddSwitchboard(this IHealthChecksBuilder builder, Action<SwitchboardHealthCheckOptions>? configure = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null)
        {
            builder.Services.Configure<SwitchboardOptions>(o => configure(o.HealthChecks));
        }
        // Registered once: a second call only adds its configure (the health check service refuses duplicate names).
        if (builder.Services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder;
        }
        builder.Services.AddSingleton<Registered>();
        string[] all = [.. (tags ?? []).Append(SwitchboardHealthChecks.Tag).Distinct(StringComparer.Ordinal)];
        builder.Add(new HealthCheckRegistration(SwitchboardHealthChecks.Workers,
            sp => Create<WorkersHealthCheck>(sp, typeof(WorkerHost)), failureStatus: null, all));
        builder.Add(new HealthCheckRegistration(SwitchboardHealthChecks.Queues,
            sp => Create<QueuesHealthCheck>(sp, typeof(QueueStatisticsSampler)), failureStatus: null, all));
        builder.Add(new HealthCheckRegistration(SwitchboardHealthChecks.Windows,
            sp => Create<WindowsHealthCheck>(sp, typeof(WindowConnectionHandler)), failureStatus: null, all));
        return builder;
    }

    /// <summary>Marks the services where the checks are registered.</summary>
    private sealed class Registered;

    private static T Create<T>(IServiceProvider services, Type needed) where T : IHealthCheck
    {
        if (services.GetService(typeof(SignalRegistry)) is null || services.GetService(needed) is null)
        {
            throw new InvalidOperationException("services.AddHealthChecks().AddSwitchboard() needs Switchboard: call services.AddSwitchboard().");
        }
        return ActivatorUtilities.CreateInstance<T>(services);
    }
}
