using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Bench.LoadGen;

/// <summary>Deliveries across all windows: count, time of the last one, latency from the server's call.</summary>
public sealed class Counters
{
    private long _delivered;
    private long _expected = long.MaxValue;
    private long _lastTimestamp;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LatencyHistogram Latency { get; } = new();

    public ConcurrentDictionary<string, int> Lost { get; } = new();

    public long DeliveredCount => Volatile.Read(ref _delivered);

    public long LastTimestamp => Volatile.Read(ref _lastTimestamp);

    public Task Reached => _reached.Task;

    public void Arm(long expected, bool resetLatency = true)
    {
        if (resetLatency)
        {
            Latency.Reset();
        }
        Volatile.Write(ref _delivered, 0);
        Volatile.Write(ref _lastTimestamp, 0);
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _expected, expected);
    }

    public void Delivered(long sentTimestamp)
    {
        var now = Stopwatch.GetTimestamp();
        Latency.Record((long)((now - sentTimestamp) * 1_000_000.0 / Stopwatch.Frequency));
        Volatile.Write(ref _lastTimestamp, now);
        if (Interlocked.Increment(ref _delivered) == Volatile.Read(ref _expected))
        {
            _reached.TrySetResult();
        }
    }

    public void LostConnection(WebSocketCloseStatus? status, string? description)
    {
        var key = status is { } s ? ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + description : "no close frame";
        Lost.AddOrUpdate(key, 1, (_, n) => n + 1);
    }
}
