using System.Globalization;

namespace Switchboard.Internal.Windows;

/// <summary>
/// Dates and times in topic keys: invariant, fixed formats that never read the machine's culture, and instants always
/// in UTC (docs/choices.md#topics), so two machines in different zones give one key for one instant.
/// </summary>
internal static class TopicTimes
{
    /// <summary>ISO 8601 round-trip text in UTC: a Local value is converted, an Unspecified one is taken as UTC.</summary>
    public static string Instant(DateTime value) => (value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        // Converting with this machine's zone would give another key on a machine in another zone.
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    }).ToString("O", CultureInfo.InvariantCulture);

    public static string Instant(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary><c>yyyy-MM-dd</c>, Gregorian whatever the current culture's calendar.</summary>
    public static string Date(DateOnly value) => value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    /// <summary><c>HH:mm:ss.fffffff</c>: fixed width, every tick kept.</summary>
    public static string Time(TimeOnly value) => value.ToString("HH':'mm':'ss'.'fffffff", CultureInfo.InvariantCulture);

    /// <summary>The constant format <c>[-][d.]hh:mm:ss[.fffffff]</c>.</summary>
    public static string Duration(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
