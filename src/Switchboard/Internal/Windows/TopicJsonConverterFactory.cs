using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Internal.Windows;

/// <summary>
/// The values inside a topic's JSON written as at the top level: canonical numbers, UTC instants, invariant dates and
/// times, tuples as arrays of their elements, an <see cref="ISignalTopic"/> as its key.
/// </summary>
internal sealed class TopicJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => WriterFor(typeToConvert) is not null;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(TopicJsonConverter<>).MakeGenericType(typeToConvert), WriterFor(typeToConvert))!;

    /// <summary>Values written as at the top level of a key, by exact type.</summary>
    private static readonly Dictionary<Type, Action<Utf8JsonWriter, object, JsonSerializerOptions>> Writers = new()
    {
        [typeof(double)] = (w, v, _) => w.WriteRawValue(TopicNumbers.Format((double)v)),
        [typeof(float)] = (w, v, _) => w.WriteRawValue(TopicNumbers.Format((float)v)),
        [typeof(Half)] = (w, v, _) => w.WriteRawValue(TopicNumbers.Format((Half)v)),
        [typeof(decimal)] = (w, v, _) => w.WriteRawValue(TopicNumbers.Format((decimal)v)),
        [typeof(BigInteger)] = (w, v, _) => w.WriteRawValue(((BigInteger)v).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        [typeof(DateTime)] = (w, v, _) => w.WriteStringValue(TopicTimes.Instant((DateTime)v)),
        [typeof(DateTimeOffset)] = (w, v, _) => w.WriteStringValue(TopicTimes.Instant((DateTimeOffset)v)),
        [typeof(DateOnly)] = (w, v, _) => w.WriteStringValue(TopicTimes.Date((DateOnly)v)),
        [typeof(TimeOnly)] = (w, v, _) => w.WriteStringValue(TopicTimes.Time((TimeOnly)v)),
        [typeof(TimeSpan)] = (w, v, _) => w.WriteStringValue(TopicTimes.Duration((TimeSpan)v)),
    };

    private static Action<Utf8JsonWriter, object, JsonSerializerOptions>? WriterFor(Type type)
    {
        if (Writers.TryGetValue(type, out var writer))
        {
            return writer;
        }
        if (typeof(ISignalTopic).IsAssignableFrom(type))
        {
            return (w, v, _) => w.WriteStringValue(((ISignalTopic)v).TopicKey);
        }
        return typeof(ITuple).IsAssignableFrom(type) ? WriteTuple : null;
    }

    /// <summary>A tuple's elements in order: (1, "a"), Tuple.Create(1, "a") and (1L, "a") are one value.</summary>
    private static void WriteTuple(Utf8JsonWriter writer, object value, JsonSerializerOptions options)
    {
        var tuple = (ITuple)value;
        writer.WriteStartArray();
        for (var i = 0; i < tuple.Length; i++)
        {
            if (tuple[i] is { } item)
            {
                JsonSerializer.Serialize(writer, item, item.GetType(), options);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
        writer.WriteEndArray();
    }
}
