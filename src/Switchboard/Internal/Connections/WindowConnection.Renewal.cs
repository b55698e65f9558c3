namespace Switchboard.Internal.Connections;

/// <summary>
/// What <see cref="WindowRenewal"/> keeps per window so a long-lived window outlives its token and its stored topic
/// list: two numbers, read and written by the renewal sweep only (after the handshake has set them), so no lock.
/// </summary>
internal sealed partial class WindowConnection
{
    /// <summary>Unix milliseconds after which the sweep sends the window a new token.</summary>
    public long TokenRenewAtMs { get; set; } = long.MaxValue;

    /// <summary>
    /// TimeProvider timestamp after which the sweep renews the stored topic list's time to live;
    /// <see cref="long.MaxValue"/> for a window with no stored list (its default topics need none).
    /// </summary>
    public long TopicsRefreshAtTimestamp { get; set; } = long.MaxValue;
}
