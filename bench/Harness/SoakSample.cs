namespace Switchboard.Bench.Harness;

/// <summary>The soak's state at one minute.</summary>
public sealed class SoakSample
{
    public double Minute { get; init; }
    public int OpenWindows { get; set; }
    public Dictionary<string, SoakProcessSample> Processes { get; } = new(StringComparer.Ordinal);
    public double RedisMiB { get; set; }
    public long QueueDepth { get; set; }
    public long Delayed { get; set; }
    public long DeadLetters { get; set; }

    /// <summary>Errors the driver saw so far (missed deliveries, failed calls, windows closed by a server, ...).</summary>
    public int Errors { get; init; }

    /// <summary>Lines the servers logged at warning level since the previous sample.</summary>
    public int LogWarnings { get; set; }

    /// <summary>Lines the servers logged at error or critical level since the previous sample.</summary>
    public int LogErrors { get; set; }
}
