namespace Switchboard.Internal.Hosting;

/// <summary>
/// What this process maps. <see cref="Mapped"/>, set by <c>MapSwitchboard</c>: it accepts browser windows, so it evaluates
/// handler permissions and must be able to (a worker-only process never does, and need not register the app's
/// authorization policies). <see cref="Dashboard"/>, set by <c>MapSwitchboardDashboard</c>: its options.
/// </summary>
internal sealed class SwitchboardEndpointsMarker
{
    public bool Mapped { get; set; }

    public SwitchboardDashboardOptions? Dashboard { get; set; }
}
