using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Dashboard;

/// <summary>
/// Brings every node's snapshot to the dashboard windows of every node, and does nothing when no dashboard is open.
/// Each tick a node with a dashboard window of its own publishes a small message to <see cref="DashboardTopics.Watch"/>;
/// every node reads that topic's position (one cheap broker read) and, when it moved since its last read, counts as
/// watched for three ticks: it then publishes its <see cref="NodeSnapshotCollector"/> snapshot to
/// <see cref="DashboardTopics.Page"/>, and a node with dashboard windows also publishes the queues' statistics and dead
/// letters (<see cref="DashboardQueuesReader"/>). Through the broker, so it works across nodes wherever windows work.
/// The tick is <see cref="DashboardFeedOptions.Interval"/>; with <see cref="DashboardFeedOptions.Enabled"/> false the
/// process does none of this.
/// </summary>
internal sealed partial class DashboardPublisher(
    LocalTopicRegistry registry, IBroker broker, TopicPublisher publisher, NodeSnapshotCollector collector, DashboardTopics topics,
    DashboardQueuesReader queues, DashboardMeasurements measurements, MappedDashboard mapped,
    IOptions<SwitchboardOptions> options, TimeProvider time, ILogger<DashboardPublisher> logger) : BackgroundService
{
    /// <summary>How often a watched node publishes; dashboards show a node as gone after three missed ticks.</summary>
    public TimeSpan Interval { get; } = options.Value.DashboardFeed.Interval;

    private TopicPosition? _lastWatch;
    private DateTimeOffset _watchedUntil;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DashboardFeed.Enabled)
        {
            LogFeedDisabled(logger);
            return;
        }
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await TickAsync(stoppingToken);
                    _failing = false;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    if (!_failing)
                    {
                        // Once per outage: a broker down fails every tick until it is back.
                        LogTickFailed(logger, e.GetType().Name, e);
                        _failing = true;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            measurements.Stop();
        }
    }

    /// <summary>One round: announce local watchers, learn whether anyone watches, publish if so.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var local = registry.Get(topics.Page).Length > 0;
        if (local)
        {
            await publisher.PublishAsync([topics.Watch], FrameWriter.SignalBody(DashboardTopics.WatchSignal, new { node = collector.Node }, SignalId.Next()), cancellationToken);
        }
        var position = await broker.GetPositionAsync(topics.Watch, cancellationToken);
        var now = time.GetUtcNow();
        if (local || (_lastWatch is { } last && last != position))
        {
            _watchedUntil = now + 3 * Interval;
        }
        _lastWatch = position;
        if (now >= _watchedUntil)
        {
            measurements.Stop();
            return;
        }
        measurements.Start();
        var node = await collector.CollectAsync(cancellationToken);
        node["intervalSeconds"] = Interval.TotalSeconds;
        await publisher.PublishAsync([topics.Page], FrameWriter.SignalBody(DashboardTopics.NodeSignal, node, SignalId.Next()), cancellationToken);
        if (local)
        {
            // Local dashboard windows exist only where the dashboard is mapped, with its options.
            var shown = mapped.Options?.DeadLettersShown ?? SwitchboardDashboardOptions.DefaultDeadLettersShown;
            var snapshot = await queues.ReadAsync(shown, cancellationToken);
            await publisher.PublishAsync([topics.Page], FrameWriter.SignalBody(DashboardTopics.QueuesSignal, snapshot, SignalId.Next()), cancellationToken);
        }
    }

    [LoggerMessage(EventId = 2702, EventName = "DashboardPublishFailed", Level = LogLevel.Warning, Message = "Dashboard: this node's snapshot could not be published ({ExceptionType}); retrying every tick.")]
    private static partial void LogTickFailed(ILogger logger, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 2703, EventName = "DashboardFeedDisabled", Level = LogLevel.Information, Message = "Dashboard: this process does not publish to dashboards (Switchboard:DashboardFeed:Enabled is false).")]
    private static partial void LogFeedDisabled(ILogger logger);
}
