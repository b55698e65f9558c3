namespace Switchboard.Internal.Hosting;

/// <summary>
/// Set by <c>MapSwitchboard</c>: this process accepts browser windows, so it evaluates handler permissions and must be
/// able to (a worker-only process never does, and need not register the app's authorization policies).
/// </summary>
internal sealed class SwitchboardEndpointsMarker
{
    public bool Mapped { get; set; }
}
