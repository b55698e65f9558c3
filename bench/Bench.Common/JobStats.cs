using System.Diagnostics;

namespace Switchboard.Bench;

/// <summary>Counts finished benchmark jobs and their pickup latency (handler start minus enqueue call), in-process.</summary>
public static class JobStats
{
    private static long _expected = long.MaxValue;
    private static long _done;
    private static long _lastTimestamp;
    private static TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static LatencyHistogram Pickup { get; } = new();

    public static long Done => Volatile.Read(ref _done);

    public static long LastTimestamp => Volatile.Read(ref _lastTimestamp);

    public static Task AllDone => _all.Task;

    public static void Reset(long expected)
    {
        Pickup.Reset();
        Volatile.Write(ref _done, 0);
        Volatile.Write(ref _lastTimestamp, 0);
        _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _expected, expected);
    }

    /// <summary>Called by the job: <paramref name="enqueuedAt"/> is the Stopwatch timestamp taken just before enqueueing.</summary>
    public static void Record(long enqueuedAt)
    {
        var now = Stopwatch.GetTimestamp();
        Pickup.Record((long)((now - enqueuedAt) * 1_000_000.0 / Stopwatch.Frequency));
        Volatile.Write(ref _lastTimestamp, now);
        if (Interlocked.Increment(ref _done) == Volatile.Read(ref _expected))
        {
            _all.TrySetResult();
        }
    }

    /// <summary>
    /// Produces <paramref name="count"/> jobs with <paramref name="enqueue"/> (given the enqueue timestamp), back to back
    /// from <paramref name="concurrency"/> producers (rate 0) or paced at <paramref name="rate"/> jobs/s, waits until all ran,
    /// and reports jobs/s (first enqueue to last job start) and pickup latency.
    /// </summary>
    public static async Task<object> RunAsync(int count, double rate, int concurrency, TimeSpan timeout, Func<long, Task> enqueue)
    {
        Reset(count);
        var start = Stopwatch.GetTimestamp();
        double enqueueSeconds;
        if (rate > 0)
        {
            enqueueSeconds = await Pacer.RunAsync(count, rate, _ => enqueue(Stopwatch.GetTimestamp()));
        }
        else
        {
            var next = -1;
            var producers = Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < count)
                {
                    await enqueue(Stopwatch.GetTimestamp());
                }
            }));
            await Task.WhenAll(producers);
            enqueueSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        var completed = await Task.WhenAny(AllDone, Task.Delay(timeout)) == AllDone;
        var end = LastTimestamp == 0 ? Stopwatch.GetTimestamp() : LastTimestamp;
        var seconds = (end - start) / (double)Stopwatch.Frequency;
        var s = Pickup.Summary();
        return new
        {
            count,
            done = Done,
            completed,
            enqueueSeconds,
            seconds,
            jobsPerSecond = Done / seconds,
            pickupP50Ms = s.P50Ms,
            pickupP95Ms = s.P95Ms,
            pickupP99Ms = s.P99Ms,
            pickupMaxMs = s.MaxMs,
        };
    }
}
