using System.Globalization;

namespace Switchboard.Bench;

/// <summary>The whole machine's busy CPU time from /proc/stat, to tell how much of a phase went to other processes.</summary>
public static class MachineLoad
{
    /// <summary>Busy CPU seconds of all cores since boot (user + nice + system + irq + softirq + steal).</summary>
    public static double BusySeconds()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long Field(int i) => i < fields.Length ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
            return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / ProcStats.TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException)
        {
            return double.NaN;
        }
    }

    /// <summary>Waits (up to <paramref name="maxWait"/>) until the machine's busy share over <paramref name="window"/> (2 s) is below <paramref name="threshold"/>.</summary>
    public static async Task<double> WaitQuietAsync(double threshold, TimeSpan maxWait, TimeSpan? window = null)
    {
        var deadline = DateTime.UtcNow + maxWait;
        var span = window ?? TimeSpan.FromSeconds(2);
        double share;
        do
        {
            var b0 = BusySeconds();
            await Task.Delay(span);
            share = (BusySeconds() - b0) / span.TotalSeconds / Environment.ProcessorCount;
        }
        while (share > threshold && DateTime.UtcNow < deadline);
        return share;
    }
}
