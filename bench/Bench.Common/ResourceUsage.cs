using System.Runtime.InteropServices;

namespace Switchboard.Bench;

/// <summary>
/// getrusage(RUSAGE_SELF): user + system CPU of this process, all threads (also those that exited), in microseconds.
/// /proc/PID/stat reports the same kernel counter rounded to 10 ms ticks, too coarse for phases of a few hundred ms.
/// </summary>
public static partial class ResourceUsage
{
    public static double CpuSeconds()
    {
        Span<long> usage = stackalloc long[18];
        if (OperatingSystem.IsLinux() && GetRusage(0, ref MemoryMarshal.GetReference(usage)) == 0)
        {
            return usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6;
        }
        return ProcStats.CpuSeconds(Environment.ProcessId);
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, ref long usage);
}
