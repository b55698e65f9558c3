namespace Switchboard;

/// <summary>
/// Server signals Switchboard calls itself when a window comes and goes, on any node: handle them with
/// <c>[Signal(LifecycleSignals.WindowConnected)]</c> or <c>MapSignal</c> like any signal. They are queued only when a
/// handler is registered, run in workers, get the window's <see cref="WindowInfo"/> and no kwargs. Browsers may not call
/// any name starting with <see cref="ReservedPrefix"/>. See docs/presence.md. (Not in <see cref="BuiltinSignals"/>, which
/// lists browser signals only.)
/// </summary>
public static class LifecycleSignals
{
    /// <summary>Names Switchboard reserves: a browser call to one is refused (<c>forbidden</c>).</summary>
    public const string ReservedPrefix = "switchboard.";

    /// <summary><c>switchboard.window.connected</c>: the first socket of a window connected (on any node).</summary>
    public const string WindowConnected = "switchboard.window.connected";

    /// <summary>
    /// <c>switchboard.window.disconnected</c>: the last socket of a window closed, or the entries of a dead node's socket
    /// expired (<see cref="PresenceOptions.EntryLifetime"/>).
    /// </summary>
    public const string WindowDisconnected = "switchboard.window.disconnected";

    /// <summary>Whether browsers are refused <paramref name="signal"/> because Switchboard reserves it.</summary>
    public static bool IsReserved(string signal) => signal.StartsWith(ReservedPrefix, StringComparison.Ordinal);
}
