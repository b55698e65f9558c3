namespace Switchboard.Internal.Dashboard;

/// <summary>
/// Set by <c>MapSwitchboardDashboard</c>: the options of the dashboard this process maps (null where it maps none). The
/// publisher lists that many dead letters; the startup check refuses a dashboard mapped without <c>MapSwitchboard</c>.
/// </summary>
internal sealed class MappedDashboard
{
    public SwitchboardDashboardOptions? Options { get; set; }
}
