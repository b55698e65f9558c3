namespace Switchboard.Bench;

/// <summary>
/// A lock-free log-linear histogram of durations in microseconds (about 1.5% resolution, 1 µs to ~10^9 µs), cheap
/// enough to record every delivered message from many threads.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBits = 6;
    private const int SubCount = 1 << SubBits;
    private const int Groups = 40;
    private readonly long[] _counts = new long[Groups * SubCount];
    private long _total;
    private long _max;

    public long Count => Volatile.Read(ref _total);

    public void Reset()
    {
        Array.Clear(_counts);
        Volatile.Write(ref _total, 0);
        Volatile.Write(ref _max, 0);
    }

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }
        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _total);
        var max = Volatile.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max)
            {
                break;
            }
            max = seen;
        }
    }

    /// <summary>The value (µs) at quantile q in [0, 1].</summary>
    public double Quantile(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }
        if (q >= 1)
        {
            return Volatile.Read(ref _max);
        }
        var rank = (long)Math.Ceiling(q * total);
        if (rank < 1)
        {
            rank = 1;
        }
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(Midpoint(i), Volatile.Read(ref _max));
            }
        }
        return Volatile.Read(ref _max);
    }

    public LatencySummary Summary() => new(Count, Quantile(0.5) / 1000, Quantile(0.95) / 1000, Quantile(0.99) / 1000, Quantile(1) / 1000);

    private static int Index(long v)
    {
        if (v < SubCount)
        {
            return (int)v;
        }
        var group = 63 - (int)long.LeadingZeroCount(v) - SubBits + 1; // >= 1
        var sub = (int)(v >> (group - 1)) & (SubCount - 1);
        var index = group * SubCount + sub;
        return Math.Min(index, Groups * SubCount - 1);
    }

    private static double Midpoint(int index)
    {
        var group = index / SubCount;
        var sub = index % SubCount;
        if (group == 0)
        {
            return sub;
        }
        // Values v with (v >> (group-1)) == SubCount + sub... reconstruct the bucket's lower bound and width.
        var lower = (long)(SubCount + sub) << (group - 1);
        var width = 1L << (group - 1);
        return lower + width / 2.0;
    }
}

/// <summary>Latency quantiles in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs);
