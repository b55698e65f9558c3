namespace Switchboard;

/// <summary>Backoff between attempts of a failing handler: a random delay in [0, min(MaxDelay, BaseDelay·2^attempt)].</summary>
public sealed class RetryOptions
{
    /// <summary>Delay scale of the first retry. <value>The default is 1 second.</value></summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between two attempts. <value>The default is 5 minutes.</value></summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of handlers that set none (<see cref="SignalAttribute.MaxAttempts"/>). <value>The default is 1 (no retry).</value></summary>
    public int DefaultMaxAttempts { get; set; } = 1;
}
