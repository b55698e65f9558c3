using System.Diagnostics;

namespace Switchboard.Bench;

/// <summary>
/// Runs an action <c>count</c> times: back to back (rate 0) from <c>callers</c> concurrent callers, or at a fixed rate
/// (calls per second, absolute schedule) from one caller.
/// </summary>
public static class Pacer
{
    public static async Task<double> RunAsync(int count, double rate, Func<int, Task> action, int callers = 1, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        if (rate <= 0 && callers > 1)
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
            {
                await Task.Yield();
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    await action(i);
                }
            }));
            return clock.Elapsed.TotalSeconds;
        }
        for (var i = 0; i < count; i++)
        {
            if (rate > 0)
            {
                var wait = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, cancellationToken);
                }
            }
            await action(i);
        }
        return clock.Elapsed.TotalSeconds;
    }
}
