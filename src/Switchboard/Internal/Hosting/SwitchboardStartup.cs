using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Diagnostics;
using Switchboard.Internal.Registry;

namespace Switchboard.Internal.Hosting;

/// <summary>
/// Runs first at host start: builds (and so validates) the signal registry, so a bad handler fails the start with a
/// message naming it, then subscribes the publisher to the broker (from then on messages reach local windows).
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
        var registry = (SignalRegistry)services.GetService(typeof(SignalRegistry))!;
        metrics.ObserveNode(() => windows.TopicCount, windows.OutboxBytes);
        await publisher.StartAsync(cancellationToken);
        LogStarted(logger, registry.Signals.Count(), registry.Functions.Count(), broker.GetType().Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3001, EventName = "SwitchboardStarted", Level = LogLevel.Information,
        Message = "Switchboard started with {SignalCount} server signals and {FunctionCount} functions; broker {Broker}.")]
    private static partial void LogStarted(ILogger logger, int signalCount, int functionCount, string broker);
}
