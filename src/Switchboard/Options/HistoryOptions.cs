namespace Switchboard;

/// <summary>Per-topic history kept for replay after reconnects and gaps.</summary>
public sealed class HistoryOptions
{
    /// <summary>Messages kept per topic. <value>The default is 1000.</value></summary>
    public int MaxLength { get; set; } = 1000;

    /// <summary>Age past which a message leaves the history. <value>The default is 5 minutes.</value></summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A topic without messages or new windows for this long forgets its sequence (its next message starts a new epoch).
    /// <value>The default is 10 hours (as the window tokens and topic lists).</value>
    /// </summary>
    public TimeSpan IdleTimeToLive { get; set; } = TimeSpan.FromHours(10);
}
