namespace Switchboard;

/// <summary>
/// What this process sends to operator dashboards (<c>MapSwitchboardDashboard</c>, docs/operations.md, Dashboard):
/// every process, web node or worker, publishes its snapshot while a dashboard is open anywhere, and checks once per
/// <see cref="Interval"/> whether one is.
/// </summary>
public sealed class DashboardFeedOptions
{
    /// <summary>
    /// Whether this process takes part: false and it never reads the dashboard's watch topic and never appears on a
    /// dashboard (a process that maps the dashboard still serves the page and the queues). <value>The default is true.</value>
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often the process checks for watchers (one broker read) and, while watched, publishes its snapshot; a
    /// dashboard drops a node after three intervals without one. Between 100 milliseconds and 1 minute.
    /// <value>The default is 1 second.</value>
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);
}
