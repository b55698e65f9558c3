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

    private static Action<Utf8JsonWriter, object, JsonSerializerOptions>? WriterFor(Type type)
    {
        if (type == typeof(double))
        {
            return (w, v, _) => w.WriteRawValue(TopicNumbers.Format((double)v));
        }
        if (type == typeof(float))
        {
            return (w, v, _) => w.WriteRawValue(TopicNumbers.Format((float)v));
        }
        if (type == typeof(Half))
        {
            return (w, v, _) => w.WriteRawValue(TopicNumbers.Format((Half)v));
        }
        if (type == typeof(decimal))
        {
            return (w, v, _) => w.WriteRawValue(TopicNumbers.Format((decimal)v));
        }
        if (type == typeof(BigInteger))
        {
            return (w, v, _) => w.WriteRawValue(((BigInteger)v).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (type == typeof(DateTime))
        {
            return (w, v, _) => w.WriteStringValue(TopicTimes.Instant((DateTime)v));
        }
        if (type == typeof(DateTimeOffset))
        {
            return (w, v, _) => w.WriteStringValue(TopicTimes.Instant((DateTimeOffset)v));
        }
        if (type == typeof(DateOnly))
        {
            return (w, v, _) => w.WriteStringValue(TopicTimes.Date((DateOnly)v));
        }
        if (type == typeof(TimeOnly))
        {
            return (w, v, _) => w.WriteStringValue(TopicTimes.Time((TimeOnly)v));
        }
        if (type == typeof(TimeSpan))
        {
            return (w, v, _) => w.WriteStringValue(TopicTimes.Duration((TimeSpan)v));
        }
        if (typeof(ISignalTopic).IsAssignableFrom(type))
        {
            return (w, v, _) => w.WriteStringValue(((ISignalTopic)v).TopicKey);
        }
        if (typeof(ITuple).IsAssignableFrom(type))
        {
            return WriteTuple;
        }
        return null;
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
