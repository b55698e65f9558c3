using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Switchboard.Dispatch;

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
    };

    /// <summary>Serializes kwargs to JSON object text; anything that is not a JSON object is refused.</summary>
    public static string SerializeKwargs(object? kwargs) => kwargs switch
    {
        null => "{}",
        JsonObject o => o.ToJsonString(Options),
        JsonElement { ValueKind: JsonValueKind.Object } e => e.GetRawText(),
        JsonNode or JsonElement or string or System.Collections.IEnumerable when kwargs is not System.Collections.IDictionary =>
            throw new ArgumentException($"kwargs must serialize to a JSON object (an anonymous object, a dictionary or a JsonObject), not {kwargs.GetType().Name}.", nameof(kwargs)),
        _ => JsonSerializer.SerializeToNode(kwargs, kwargs.GetType(), Options) is JsonObject obj
            ? obj.ToJsonString(Options)
            : throw new ArgumentException($"kwargs must serialize to a JSON object, not {kwargs.GetType().Name}.", nameof(kwargs)),
    };
}
