using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Internal.Protocol;

/// <summary>Parses browser frames. Never throws: a bad frame becomes a <see cref="ClientFrame"/> with an error.</summary>
/// <remarks>
/// No DOM: <see cref="FrameScanner"/> validates the whole frame in one reader pass and says where the root fields are;
/// each field is then read from its own bytes. A call's (or an invoke's) <c>opts</c> stays JSON text (the job carries text anyway).
/// </remarks>
internal static class FrameReader
{
    private const string EmptyOpts = "{}";

    public static ClientFrame Parse(ReadOnlySpan<byte> utf8)
    {
        // The reader does not check the UTF-8 of strings it is not asked to decode: check the whole frame here.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return ClientFrame.Invalid("The frame is not valid UTF-8.");
        }
        Span<Range> fields = stackalloc Range[FrameScanner.FieldCount];
        if (!FrameScanner.TryScan(utf8, out var rootIsObject, fields))
        {
            return ClientFrame.Invalid("The frame is not valid JSON.");
        }
        if (!rootIsObject)
        {
            return ClientFrame.Invalid("The frame must be a JSON object.");
        }
        long? id = null;
        if (Has(fields, FrameScanner.Id, out var idRange))
        {
            var idReader = ValueReader(utf8, idRange);
            if (idReader.TokenType == JsonTokenType.Number && idReader.TryGetInt64(out var parsed) && parsed >= 1)
            {
                id = parsed;
            }
            else if (idReader.TokenType != JsonTokenType.Null)
            {
                return ClientFrame.Invalid("'id' must be an integer >= 1.");
            }
        }
        if (ReadType(utf8, fields) is not { } type)
        {
            return ClientFrame.Invalid("The frame has no string 'type'.", id);
        }
        switch (type)
        {
            case ProtocolNames.FrameTypes.Call:
            case ProtocolNames.FrameTypes.Invoke:
                return ParseCall(type, utf8, fields, id);
            case ProtocolNames.FrameTypes.Connect:
                int? version = Has(fields, FrameScanner.Version, out var vRange) && ValueReader(utf8, vRange) is
                    { TokenType: JsonTokenType.Number } v && v.TryGetInt32(out var n) ? n : null;
                var token = ReadString(utf8, fields, FrameScanner.Token);
                if (!TryParsePositions(Node(utf8, fields, FrameScanner.Resume), out var resume))
                {
                    return ClientFrame.Invalid("'resume' must map topic ids to [seq, epoch].", id);
                }
                return new ClientFrame(type, id, null, null, 0, version, token, null, null) { Positions = resume };
            case ProtocolNames.FrameTypes.Resume:
                if (id is null || !TryParsePositions(Node(utf8, fields, FrameScanner.Pos), out var pos) || pos is null)
                {
                    return ClientFrame.Invalid("A 'resume' frame needs an integer 'id' >= 1 and 'pos' mapping topic ids to [seq, epoch].", id);
                }
                return new ClientFrame(type, id, null, null, 0, null, null, null, null) { Positions = pos };
            default:
                return new ClientFrame(type, id, null, null, 0, null, null, null, null);
        }
    }

    /// <summary>A <c>call</c> or an <c>invoke</c> (<paramref name="type"/>): the same fields, the same rules.</summary>
    private static ClientFrame ParseCall(string type, ReadOnlySpan<byte> utf8, ReadOnlySpan<Range> fields, long? id)
    {
        if (id is null)
        {
            return ClientFrame.Invalid($"A '{type}' frame needs an integer 'id' >= 1.");
        }
        if (ReadString(utf8, fields, FrameScanner.Signal) is not { } signal)
        {
            return ClientFrame.Invalid($"A '{type}' frame needs a string 'signal'.", id);
        }
        if (!Has(fields, FrameScanner.Opts, out var optsRange) || utf8[optsRange][0] == (byte)'n')
        {
            return new ClientFrame(type, id, signal, EmptyOpts, EmptyOpts.Length, null, null, null, null);
        }
        if (utf8[optsRange][0] != (byte)'{')
        {
            return ClientFrame.Invalid("'opts' must be a JSON object.", id) with { Signal = signal };
        }
        // The browser's text as sent: the job carries it, and MaxKwargsBytes applies to its length.
        var opts = utf8[optsRange];
        return new ClientFrame(type, id, signal, Encoding.UTF8.GetString(opts), opts.Length, null, null, null, null);
    }

    private static bool Has(ReadOnlySpan<Range> fields, int field, out Range range)
    {
        range = fields[field];
        return range.End.Value > range.Start.Value;
    }

    /// <summary>A reader positioned on the (already validated) value at <paramref name="range"/>.</summary>
    private static Utf8JsonReader ValueReader(ReadOnlySpan<byte> utf8, Range range)
    {
        var reader = new Utf8JsonReader(utf8[range]);
        reader.Read();
        return reader;
    }

    /// <summary>The frame type; the protocol's own names are not allocated again.</summary>
    private static string? ReadType(ReadOnlySpan<byte> utf8, ReadOnlySpan<Range> fields)
    {
        if (!Has(fields, FrameScanner.Type, out var range))
        {
            return null;
        }
        var reader = ValueReader(utf8, range);
        return reader.TokenType != JsonTokenType.String ? null
            : reader.ValueTextEquals("call"u8) ? ProtocolNames.FrameTypes.Call
            : reader.ValueTextEquals("invoke"u8) ? ProtocolNames.FrameTypes.Invoke
            : reader.ValueTextEquals("ping"u8) ? ProtocolNames.FrameTypes.Ping
            : reader.ValueTextEquals("resume"u8) ? ProtocolNames.FrameTypes.Resume
            : reader.ValueTextEquals("connect"u8) ? ProtocolNames.FrameTypes.Connect
            : reader.GetString();
    }

    private static string? ReadString(ReadOnlySpan<byte> utf8, ReadOnlySpan<Range> fields, int field)
    {
        if (!Has(fields, field, out var range))
        {
            return null;
        }
        var reader = ValueReader(utf8, range);
        return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }

    /// <summary>A field as a node (connect and resume frames only, which are rare); null when absent or null.</summary>
    private static JsonNode? Node(ReadOnlySpan<byte> utf8, ReadOnlySpan<Range> fields, int field) =>
        Has(fields, field, out var range) ? JsonNode.Parse(utf8[range]) : null;

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
}
