using System.Text.Json;
using System.Text.Json.Nodes;

using Switchboard.Internal.Protocol;

namespace Switchboard.Tests.Protocol;

/// <summary>
/// The JsonNode-based frame reader the server used before its DOM-free <see cref="FrameReader"/>, kept as a reference:
/// both must give the same answer to every frame (FrameReaderDifferentialTests). Its call (and invoke) opts are a JsonObject.
/// </summary>
internal static class DomFrameReader
{
    public static (ClientFrame Frame, JsonObject? Opts) Parse(ReadOnlySpan<byte> utf8)
    {
        JsonNode? root;
        try
        {
            // JsonNode reads strings lazily: invalid UTF-8, a lone surrogate escape or a duplicate key would throw
            // later, wherever the frame is used. Reject them here, where a bad frame is a bad_frame.
            if (!System.Text.Unicode.Utf8.IsValid(utf8))
            {
                return Invalid("The frame is not valid UTF-8.");
            }
            root = JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
            ReadAllStrings(root);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return Invalid("The frame is not valid JSON.");
        }
        if (root is not JsonObject obj)
        {
            return Invalid("The frame must be a JSON object.");
        }
        long? id = null;
        if (obj.TryGetPropertyValue("id", out var idNode) && idNode is not null)
        {
            if (idNode is JsonValue idValue && idValue.TryGetValue<long>(out var parsed) && parsed >= 1)
            {
                id = parsed;
            }
            else
            {
                return Invalid("'id' must be an integer >= 1.");
            }
        }
        if (!TryGetString(obj, "type", out var type) || type is null)
        {
            return Invalid("The frame has no string 'type'.", id);
        }
        switch (type)
        {
            case ProtocolNames.FrameTypes.Call:
            case ProtocolNames.FrameTypes.Invoke:
                return ParseCall(type, obj, id);
            case ProtocolNames.FrameTypes.Connect:
                int? version = obj["v"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
                TryGetString(obj, "token", out var token);
                if (!TryParsePositions(obj["resume"], out var resume))
                {
                    return Invalid("'resume' must map topic ids to [seq, epoch].", id);
                }
                return (new ClientFrame(type, id, null, null, 0, version, token, null, null) { Positions = resume }, null);
            case ProtocolNames.FrameTypes.Resume:
                if (id is null || !TryParsePositions(obj["pos"], out var pos) || pos is null)
                {
                    return Invalid("A 'resume' frame needs an integer 'id' >= 1 and 'pos' mapping topic ids to [seq, epoch].", id);
                }
                return (new ClientFrame(type, id, null, null, 0, null, null, null, null) { Positions = pos }, null);
            default:
                return (new ClientFrame(type, id, null, null, 0, null, null, null, null), null);
        }
    }

    private static (ClientFrame Frame, JsonObject? Opts) ParseCall(string type, JsonObject obj, long? id)
    {
        if (id is null)
        {
            return Invalid($"A '{type}' frame needs an integer 'id' >= 1.");
        }
        if (!TryGetString(obj, "signal", out var signal) || signal is null)
        {
            return Invalid($"A '{type}' frame needs a string 'signal'.", id);
        }
        JsonObject opts;
        if (!obj.TryGetPropertyValue("opts", out var optsNode) || optsNode is null)
        {
            opts = [];
        }
        else if (optsNode is JsonObject o)
        {
            obj.Remove("opts");
            opts = o;
        }
        else
        {
            return (ClientFrame.Invalid("'opts' must be a JSON object.", id) with { Signal = signal }, null);
        }
        return (new ClientFrame(type, id, signal, null, 0, null, null, null, null), opts);
    }

    private static (ClientFrame, JsonObject?) Invalid(string message, long? id = null) => (ClientFrame.Invalid(message, id), null);

    private static void ReadAllStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o)
                {
                    ReadAllStrings(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    ReadAllStrings(item);
                }
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                _ = v.GetValue<string>();
                break;
        }
    }

    /// <summary>Reads <c>{"id": [seq, "epoch"], ...}</c>; absent is fine (null), malformed is not. At most 1024 entries.</summary>
    private static bool TryParsePositions(JsonNode? node, out Dictionary<string, TopicPosition>? positions)
    {
        positions = null;
        if (node is null)
        {
            return true;
        }
        if (node is not JsonObject obj || obj.Count > 1024)
        {
            return false;
        }
        positions = new Dictionary<string, TopicPosition>(obj.Count, StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (value is not JsonArray { Count: 2 } pair
                || pair[0] is not JsonValue seqValue || !seqValue.TryGetValue<long>(out var seq) || seq < 0
                || pair[1] is not JsonValue epochValue || !epochValue.TryGetValue<string>(out var epoch) || key.Length > 64 || epoch.Length > 128)
            {
                positions = null;
                return false;
            }
            positions[key] = new TopicPosition(seq, epoch);
        }
        return true;
    }

    private static bool TryGetString(JsonObject obj, string name, out string? value)
    {
        value = null;
        if (obj.TryGetPropertyValue(name, out var node) && node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            value = s;
            return true;
        }
        return false;
    }
}
