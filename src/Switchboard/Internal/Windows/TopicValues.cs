using System.Globalization;
using System.Numerics;

namespace Switchboard.Internal.Windows;

/// <summary>
/// The keys of the values <see cref="DefaultTopicSerializer"/> does not handle on its fast path (string, int, Guid,
/// <see cref="ISignalTopic"/>, <see cref="Destination"/>): other numbers, dates and times, enums, bool, char, types,
/// and canonical JSON for records, anonymous objects, tuples and structs (docs/choices.md#topics).
/// </summary>
internal static class TopicValues
{
    public static string KeyOf(object topic) => topic switch
    {
        long or sbyte or byte or short or ushort or uint or ulong or nint or nuint or Int128 or UInt128 or BigInteger =>
            "-int." + ((IFormattable)topic).ToString(null, CultureInfo.InvariantCulture),
        double d => TopicNumbers.Key(TopicNumbers.Format(d)),
        decimal m => TopicNumbers.Key(TopicNumbers.Format(m)),
        float f => TopicNumbers.Key(TopicNumbers.Format(f)),
        Half h => TopicNumbers.Key(TopicNumbers.Format(h)),
        bool b => b ? "-bool.1" : "-bool.0",
        // A char is the one-character string, as in JSON.
        char c => "-str." + c,
        Enum e => "-enum." + TopicTypeNames.Of(e.GetType()) + "." + e.ToString(),
        DateTimeOffset o => "-instant." + TopicTimes.Instant(o),
        DateTime t => "-instant." + TopicTimes.Instant(t),
        DateOnly d => "-date." + TopicTimes.Date(d),
        TimeOnly t => "-time." + TopicTimes.Time(t),
        TimeSpan s => "-duration." + TopicTimes.Duration(s),
        Type t => "-type." + TopicTypeNames.Of(t),
        _ => TopicShapes.PrefixOf(topic.GetType()) + TopicJson.Serialize(topic),
    };
}
