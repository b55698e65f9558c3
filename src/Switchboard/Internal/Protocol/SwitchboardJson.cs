using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Switchboard.Internal.Protocol;

/// <summary>The JSON conventions of kwargs: ASP.NET Core's web defaults (camelCase), numbers readable from strings.</summary>
internal static class SwitchboardJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new JsonStringEnumConverter() },
        // Kwargs travel in JSON frames, never inside HTML: escaping é as \u00E9 would only triple its size (and make
        // MaxKwargsBytes refuse text the browser sent well under the limit).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Reflection metadata, so kwargs' contract can be asked for (GetTypeInfo) before serializing.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Serializes kwargs to JSON object text; anything that is not a JSON object is refused.</summary>
    public static string SerializeKwargs(object? kwargs) => kwargs switch
    {
        null => "{}",
        JsonObject o => o.ToJsonString(Options),
        JsonElement { ValueKind: JsonValueKind.Object } e => e.GetRawText(),
        _ when ObjectTypeInfo(kwargs) is { } info => JsonSerializer.Serialize(kwargs, info),
        _ => AsObject(kwargs).ToJsonString(Options),
    };

    /// <summary>A remote function's return value as JSON, serialized as its runtime type (null: <c>null</c>).</summary>
    public static byte[] SerializeValue(object? value) =>
        value is null ? "null"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);

    /// <summary>Writes kwargs as a JSON object straight into <paramref name="writer"/>; anything else is refused.</summary>
    public static void WriteKwargs(Utf8JsonWriter writer, object? kwargs)
    {
        switch (kwargs)
        {
            case null:
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            case JsonObject o:
                o.WriteTo(writer, Options);
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } e:
                e.WriteTo(writer);
                break;
            default:
                if (ObjectTypeInfo(kwargs) is { } info)
                {
                    JsonSerializer.Serialize(writer, kwargs, info);
                }
                else
                {
                    AsObject(kwargs).WriteTo(writer, Options);
                }
                break;
        }
    }

    /// <summary>
    /// The serializer's contract for kwargs' type when it always writes an object (records, anonymous and plain classes,
    /// dictionaries); null for types that need a look at the value (custom converters) or are refused.
    /// </summary>
    private static JsonTypeInfo? ObjectTypeInfo(object kwargs)
    {
        if (kwargs is JsonNode or JsonElement or string || (kwargs is System.Collections.IEnumerable && kwargs is not System.Collections.IDictionary))
        {
            throw NotAnObject(kwargs);
        }
        var info = Options.GetTypeInfo(kwargs.GetType());
        return info.Kind is JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary ? info : null;
    }

    private static JsonObject AsObject(object kwargs) =>
        JsonSerializer.SerializeToNode(kwargs, kwargs.GetType(), Options) as JsonObject ?? throw NotAnObject(kwargs);

    private static ArgumentException NotAnObject(object kwargs) =>
        new($"kwargs must serialize to a JSON object (an anonymous object, a dictionary or a JsonObject), not {kwargs.GetType().Name}.", nameof(kwargs));
}
