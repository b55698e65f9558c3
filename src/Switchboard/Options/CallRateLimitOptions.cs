namespace Switchboard;

/// <summary>A token bucket per window for browser calls: excess calls are refused with <c>rate_limited</c>.</summary>
public sealed class CallRateLimitOptions
{
    /// <summary>Calls a window may make per second, sustained. <value>The default is 20.</value></summary>
    public double PermitsPerSecond { get; set; } = 20;

    /// <summary>Calls a window may make at once after being idle. <value>The default is 40.</value></summary>
    public int Burst { get; set; } = 40;

    /// <summary>
    /// Refused calls in a row after which the window is closed with 4029 (terminal: a runaway page).
    /// <value>The default is 200.</value>
    /// </summary>
    public int CloseAfterRefusals { get; set; } = 200;
}
