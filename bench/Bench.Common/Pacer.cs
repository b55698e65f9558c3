using System.Diagnostics;

namespace Switchboard.Bench;

/// <summary>Runs an action <c>count</c> times, back to back (rate 0) or at a fixed rate (calls per second, absolute schedule).</summary>
public static class Pacer
{
    public static async Task<double> RunAsync(int count, double rate, Func<int, Task> action, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
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
