using System.Diagnostics.Metrics;
using Switchboard.Internal.Diagnostics;

namespace Switchboard.Internal.Dashboard;

/// <summary>
/// What this node measures for the dashboard, read from its own <c>Switchboard</c> meter (the instruments of this app's
/// <see cref="IMeterFactory"/>, not another host's in the same process) with a <see cref="MeterListener"/>: refusals by
/// reason in one-minute buckets, and each queue's job pickup latencies. Listening only while a dashboard is watched,
/// so an unwatched node times nothing more than before.
/// </summary>
internal sealed class DashboardMeasurements(IMeterFactory meterFactory, TimeProvider time) : IDisposable
{
    /// <summary>How far back refusals are counted and pickups kept.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromMinutes(15);

    private const int MaxSamplesPerQueue = 4096;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<long, long>> _refusals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<(long At, double Seconds)>> _pickups = new(StringComparer.Ordinal);
    private MeterListener? _listener;

    public bool Listening => Volatile.Read(ref _listener) is not null;

    /// <summary>Starts listening (idempotent).</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_listener is not null)
            {
                return;
            }
            var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == SwitchboardMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory)
                        && instrument.Name is "switchboard.refusals" or "switchboard.job.pickup.duration")
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnRefusal(value, Tag(tags, "reason")));
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnPickup(Tag(tags, "messaging.destination.name"), value));
            _listener = listener;
            listener.Start();
        }
    }

    /// <summary>Stops listening; what was counted stays until it ages out.</summary>
    public void Stop()
    {
        MeterListener? listener;
        lock (_lock)
        {
            listener = _listener;
            _listener = null;
        }
        listener?.Dispose();
    }

    /// <summary>Refusals per reason over the last <see cref="Span"/>.</summary>
    public Dictionary<string, long> Refusals()
    {
        var oldest = Minute(time.GetUtcNow() - Span);
        lock (_lock)
        {
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (reason, buckets) in _refusals)
            {
                foreach (var minute in buckets.Keys.Where(m => m <= oldest).ToList())
                {
                    buckets.Remove(minute);
                }
                var sum = buckets.Values.Sum();
                if (sum > 0)
                {
                    result[reason] = sum;
                }
            }
            return result;
        }
    }

    /// <summary>Per queue this node picked jobs from: pickup p50 and p99 (seconds) over the kept samples, and jobs picked up per second over the last minute.</summary>
    public Dictionary<string, (double P50, double P99, double PerSecond, int Samples)> Pickups()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var oldest = now - (long)Span.TotalMilliseconds;
        lock (_lock)
        {
            var result = new Dictionary<string, (double, double, double, int)>(StringComparer.Ordinal);
            foreach (var (queue, samples) in _pickups)
            {
                while (samples.TryPeek(out var first) && first.At < oldest)
                {
                    samples.Dequeue();
                }
                if (samples.Count == 0)
                {
                    continue;
                }
                var sorted = samples.Select(s => s.Seconds).Order().ToArray();
                var lastMinute = samples.Count(s => s.At >= now - 60_000);
                result[queue] = (Percentile(sorted, 0.50), Percentile(sorted, 0.99), lastMinute / 60.0, sorted.Length);
            }
            return result;
        }
    }

    public void Dispose() => Stop();

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private void OnRefusal(long value, string reason)
    {
        var minute = Minute(time.GetUtcNow());
        lock (_lock)
        {
            if (!_refusals.TryGetValue(reason, out var buckets))
            {
                _refusals[reason] = buckets = [];
            }
            buckets[minute] = buckets.GetValueOrDefault(minute) + value;
        }
    }

    private void OnPickup(string queue, double seconds)
    {
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            if (!_pickups.TryGetValue(queue, out var samples))
            {
                _pickups[queue] = samples = new Queue<(long, double)>();
            }
            if (samples.Count == MaxSamplesPerQueue)
            {
                samples.Dequeue();
            }
            samples.Enqueue((at, seconds));
        }
    }

    private static long Minute(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? "";
            }
        }
        return "";
    }
}
