using System.Globalization;

namespace Switchboard.Internal.Diagnostics;

/// <summary>The process's soft limit of open files (Linux <c>/proc/self/limits</c>), or null where it cannot be read.</summary>
internal static class OpenFileLimit
{
    private static readonly Lazy<long?> Value = new(Read);

    public static long? Current => Value.Value;

    private static long? Read()
    {
        try
        {
            if (!File.Exists("/proc/self/limits"))
            {
                return null;
            }
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>The effective window limit: the configured one, else 80% of the open-file limit.</summary>
    public static int? MaxWindows(SwitchboardOptions options) =>
        options.MaxWindows ?? (Current is { } limit ? (int)Math.Min(int.MaxValue, limit * 8 / 10) : null);
}
