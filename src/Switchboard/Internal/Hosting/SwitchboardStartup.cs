using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Dashboard;
using Switchboard.Internal.Diagnostics;
using Switchboard.Internal.Presence;
using Switchboard.Internal.Registry;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Hosting;

/// <summary>
/// Runs first at host start: builds (and so validates) the signal registry and, where browsers connect (MapSwitchboard),
/// the <c>[Authorize]</c> policies of its handlers, so a bad handler or an unknown policy fails the start with a message
/// naming it; logs once what Switchboard did or did not change in Kestrel; then subscribes the publisher to the broker (from then on messages reach local windows).
/// </summary>
internal sealed partial class SwitchboardStartup(
    IServiceProvider services,
    IBroker broker,
    TopicPublisher publisher,
    LocalTopicRegistry windows,
    SwitchboardMetrics metrics,
    ILogger<SwitchboardStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<SignalRegistry>();
        // A replaced ITopicSerializer is checked before anything is published: its built-in keys, and what presence and
        // the dashboard need of it; a bad one fails the start with a message naming it (docs/choices.md).
        services.GetRequiredService<TopicKeys>().Validate();
        services.GetRequiredService<PresenceTopics>().Validate();
        metrics.ObserveNode(() => windows.TopicCount, windows.OutboxBytes);
        var endpoints = services.GetRequiredService<SwitchboardEndpointsMarker>();
        if (services.GetRequiredService<MappedDashboard>().Options is not null && !endpoints.Mapped)
        {
            throw new InvalidOperationException(
                "MapSwitchboardDashboard() was called without MapSwitchboard(): the dashboard page's window connects through Switchboard's " +
                "endpoints, so it would never update. Call app.MapSwitchboard() as well.");
        }
        if (endpoints.Mapped)
        {
            // Only where browsers connect: permissions are evaluated there, never in a worker-only process.
            await registry.PrepareAuthorizationAsync(services, cancellationToken);
            if (services.GetRequiredService<MappedDashboard>().Options is not null)
            {
                _ = services.GetRequiredService<DashboardTopics>().Page;
            }
        }
        LogKestrelLimits();
        await publisher.StartAsync(cancellationToken);
        LogStarted(logger, registry.Signals.Count(), registry.Functions.Count(), broker.GetType().Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void LogKestrelLimits()
    {
        // Kestrel's own setup gives its options the application's services: without it this process serves no Kestrel
        // (a worker, a test server), and there is nothing to report.
        var kestrel = services.GetService<IOptions<KestrelServerOptions>>()?.Value;
        if (kestrel?.ApplicationServices is null)
        {
            return;
        }
        var switchboard = services.GetRequiredService<IOptions<SwitchboardOptions>>().Value;
        var setup = services.GetRequiredService<KestrelLimitsSetup>();
        var connections = Show(kestrel.Limits.MaxConcurrentConnections);
        var upgraded = Show(kestrel.Limits.MaxConcurrentUpgradedConnections);
        var openFiles = Show(OpenFileLimit.Current);
        var maxWindows = Show(OpenFileLimit.MaxWindows(switchboard));
        if (setup.SetConnections || setup.SetUpgradedConnections)
        {
            LogKestrelLimitsSet(logger, connections, upgraded, openFiles, maxWindows);
        }
        else
        {
            LogKestrelLimitsUnchanged(logger, connections, upgraded, openFiles, maxWindows);
        }
    }

    private static string Show(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited";

    [LoggerMessage(EventId = 3001, EventName = "SwitchboardStarted", Level = LogLevel.Information,
        Message = "Switchboard started with {SignalCount} server signals and {FunctionCount} functions; broker {Broker}.")]
    private static partial void LogStarted(ILogger logger, int signalCount, int functionCount, string broker);

    [LoggerMessage(EventId = 3051, EventName = "KestrelLimitsUnchanged", Level = LogLevel.Information,
        Message = "Kestrel limits in effect, not changed by Switchboard: MaxConcurrentConnections {MaxConcurrentConnections}, " +
                  "MaxConcurrentUpgradedConnections {MaxConcurrentUpgradedConnections}; open-file limit {OpenFileLimit}, Switchboard MaxWindows " +
                  "{MaxWindows}. Set Switchboard:LimitKestrelConnections=true to cap the connections at 90% of the open-file limit.")]
    private static partial void LogKestrelLimitsUnchanged(
        ILogger logger, string maxConcurrentConnections, string maxConcurrentUpgradedConnections, string openFileLimit, string maxWindows);

    [LoggerMessage(EventId = 3052, EventName = "KestrelLimitsSet", Level = LogLevel.Information,
        Message = "Switchboard set Kestrel's connection limits (LimitKestrelConnections; limits the application set are kept): " +
                  "MaxConcurrentConnections {MaxConcurrentConnections}, MaxConcurrentUpgradedConnections {MaxConcurrentUpgradedConnections}; " +
                  "open-file limit {OpenFileLimit}, Switchboard MaxWindows {MaxWindows}.")]
    private static partial void LogKestrelLimitsSet(
        ILogger logger, string maxConcurrentConnections, string maxConcurrentUpgradedConnections, string openFileLimit, string maxWindows);
}
