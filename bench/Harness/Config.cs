using System.Globalization;

namespace Switchboard.Bench.Harness;

/// <summary>Sizes of a run. Smoke: every scenario once, tiny (CI). Quick: under 5 minutes on 2 cores. Full: the published table.</summary>
public sealed record Config
{
    public required string Mode { get; init; }
    public int Repeats { get; init; }
    public int MemoryRepeats { get; init; }
    public int[] MemorySizes { get; init; } = [];
    public int Windows { get; init; }
    public int PayloadBytes { get; init; } = 100;
    public int BurstCount { get; init; }
    public int BurstRepeat { get; init; } = 1;
    public double OfferedPerSecond { get; init; } = 20_000;
    public double RateSeconds { get; init; }
    public int TargetedRounds { get; init; }
    public int TargetedRepeat { get; init; } = 1;
    public int RoundTripWindows { get; init; }
    public int RoundTripCalls { get; init; }
    public int JobsMax { get; init; }
    public int JobsPacedRate { get; init; } = 200;
    public double JobsPacedSeconds { get; init; }
    public int JobWorkers { get; init; } = 8;
    public int JobProducers { get; init; } = 8;
    public int Sources { get; init; }
    public int[] ScaleSizes { get; init; } = [];
    public int ScaleDeliveries { get; init; }
    public int StormConcurrency { get; init; } = 256;

    /// <summary>Whether scenarios 8 and 9 run unrecorded warm-up phases first (not in smoke: it only checks that they run).</summary>
    public bool WarmUp { get; init; } = true;

    public static Config For(string mode) => mode switch
    {
        "smoke" => new Config
        {
            Mode = mode, Repeats = 1, MemoryRepeats = 1, MemorySizes = [50], Windows = 50, BurstCount = 5, RateSeconds = 1,
            OfferedPerSecond = 1000, TargetedRounds = 2, RoundTripWindows = 5, RoundTripCalls = 10, JobsMax = 200,
            JobsPacedSeconds = 0.5, Sources = 2, ScaleSizes = [20, 60], ScaleDeliveries = 600, WarmUp = false,
        },
        "quick" => new Config
        {
            Mode = mode, Repeats = 3, MemoryRepeats = 2, MemorySizes = [1000, 5000], Windows = 1000, BurstCount = 100, BurstRepeat = 5, RateSeconds = 3,
            TargetedRounds = 20, TargetedRepeat = 3, RoundTripWindows = 20, RoundTripCalls = 100, JobsMax = 4000, JobsPacedSeconds = 2, Sources = 2,
            ScaleSizes = [1000, 3000], ScaleDeliveries = 50_000,
        },
        "full" => new Config
        {
            Mode = mode, Repeats = 5, MemoryRepeats = 3, MemorySizes = [1000, 5000, 10000], Windows = 2000, BurstCount = 100, BurstRepeat = 10, RateSeconds = 10,
            TargetedRounds = 20, TargetedRepeat = 5, RoundTripWindows = 20, RoundTripCalls = 500, JobsMax = 10000, JobsPacedSeconds = 5, Sources = 4,
            ScaleSizes = [1000, 5000, 18000], ScaleDeliveries = 200_000,
        },
        _ => throw new ArgumentException($"unknown mode '{mode}' (smoke, quick, full)"),
    };

    /// <summary>Broadcasts per second at the fixed offered rate (deliveries/s ÷ windows).</summary>
    public double BroadcastsPerSecond => OfferedPerSecond / Windows;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Repeats} repetitions ({MemoryRepeats} for memory); memory at {string.Join(", ", MemorySizes)} windows; " +
        $"{Windows} windows for fan-out, {PayloadBytes}-byte payload; bursts of {BurstCount} broadcasts ({BurstRepeat} bursts per sample, one after the other); fixed rate {OfferedPerSecond:0} deliveries/s " +
        $"({BroadcastsPerSecond:0.##} broadcasts/s) for {RateSeconds} s; targeted: {TargetedRounds} rounds × one message per window ({TargetedRepeat} times per sample); " +
        $"round trip: {RoundTripWindows} windows × {RoundTripCalls} sequential calls; jobs: {JobsMax} at full speed ({JobProducers} producers, " +
        $"{JobWorkers} workers), then {JobsPacedRate}/s for {JobsPacedSeconds} s; scale curve at {string.Join(", ", ScaleSizes)} windows, " +
        $"about {ScaleDeliveries} deliveries per sample; reconnect storm: {StormConcurrency} windows opening at a time; " +
        $"load generator on {Sources} loopback source addresses");
}
