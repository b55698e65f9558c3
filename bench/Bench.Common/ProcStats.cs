using System.Globalization;

namespace Switchboard.Bench;

/// <summary>Reads a process's CPU time and resident memory from /proc (Linux), for any pid.</summary>
public static class ProcStats
{
    /// <summary>Clock ticks per second of /proc/PID/stat (USER_HZ; 100 on Linux everywhere in practice).</summary>
    public const double TicksPerSecond = 100.0;

    /// <summary>utime + stime of the process in seconds, or NaN when the process is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // rest[0] is field 3 (state); utime is field 14, stime field 15.
            var utime = long.Parse(rest[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(rest[12], CultureInfo.InvariantCulture);
            return (utime + stime) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    /// <summary>VmRSS of the process in bytes, or -1.</summary>
    public static long RssBytes(int pid) => StatusField(pid, "VmRSS:");

    /// <summary>VmHWM (peak RSS) of the process in bytes, or -1.</summary>
    public static long PeakRssBytes(int pid) => StatusField(pid, "VmHWM:");

    /// <summary>Threads of the process (the Threads line of /proc/PID/status), or -1.</summary>
    public static long Threads(int pid) => StatusField(pid, "Threads:") is var n and >= 0 ? n / 1024 : -1;

    /// <summary>Open file descriptors of the process (sockets included), or -1.</summary>
    public static long OpenFiles(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").LongCount();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    private static long StatusField(int pid, string name)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                {
                    var kb = line[name.Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return -1;
    }
}
