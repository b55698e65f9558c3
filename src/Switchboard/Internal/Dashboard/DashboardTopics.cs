namespace Switchboard.Internal.Dashboard;

/// <summary>
/// The dashboard's reserved topic keys and signal names. The keys start with <c>-switchboard.</c>, which no
/// <see cref="DefaultTopicSerializer"/> key does, so an application's <c>SetWebSocketTopics</c> cannot put a page on them:
/// only the dashboard page, served to authorized users, subscribes its window to <see cref="Page"/>.
/// </summary>
internal static class DashboardTopics
{
    /// <summary>The dashboard windows' topic: node snapshots and queue snapshots are published to it.</summary>
    public const string Page = "-switchboard.dashboard";

    /// <summary>Nodes with a dashboard window publish to it while watched; every node reads its position to know.</summary>
    public const string Watch = "-switchboard.dashboard.watch";

    /// <summary>The browser signal carrying one node's snapshot.</summary>
    public const string NodeSignal = "switchboard.dashboard.node";

    /// <summary>The browser signal carrying the queues' statistics and dead letters.</summary>
    public const string QueuesSignal = "switchboard.dashboard.queues";

    /// <summary>The signal of the watch topic's messages (no window receives them).</summary>
    public const string WatchSignal = "switchboard.dashboard.watch";
}
