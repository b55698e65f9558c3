using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// Seeded generator of client frames for fuzzing the server over a real socket: valid <c>call</c>, <c>ping</c>,
/// <c>resume</c>, <c>connect</c> and unknown frames, then (mostly) mutated — fields given values of the wrong type,
/// huge or fractional numbers, lone surrogates, deep nesting, duplicate keys, bytes flipped, inserted or cut.
/// Frames stay within <c>maxBytes</c> and ASCII-only byte mutations keep them UTF-8 (the WebSocket layer closes on
/// anything else; those closes are tested apart).
/// </summary>
internal sealed class FrameFuzzer(Random random, int maxBytes, string[] signals, Func<JsonObject> positions)
{
    private const string Placeholder = "@@FUZZ@@";

    /// <summary>Raw JSON values of every kind and edge, written as text so that e.g. 1e400 stays as sent.</summary>
    private static readonly string[] WeirdValues =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "1E2", "99999999999999999999", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-0", "0.0000001", "\"\"", "\"x\"", "\"1\"", "\"ping\"", "\"call\"",
        "[]", "{}", "[1]", "[1,\"e\"]", "[-1,\"e\"]", "[1,\"e\",3]", "{\"a\":1}", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"",
        "\"é—🙂\"", "\"a\\\"b\"", "[[[[[[[[[[]]]]]]]]]]",
    ];

    private static readonly string[] Fields = ["type", "id", "signal", "opts", "pos", "resume", "v", "token"];

    private long _nextId;

    /// <summary>A frame: its text bytes and how it was made.</summary>
    public (byte[] Text, string How) Next()
    {
        var (json, how) = Template();
        return Mutate(json, how, random.Next(4) == 0 ? 0 : 1 + random.Next(3));
    }

    /// <summary><paramref name="json"/> with up to <paramref name="mutations"/> mutations.</summary>
    public (byte[] Text, string How) Mutate(JsonObject json, string how, int mutations)
    {
        var text = json.ToJsonString();
        for (var i = 0; i < mutations; i++)
        {
            (text, var what) = MutateText(text);
            how += " + " + what;
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > maxBytes)
        {
            // Cut to the limit, at a character boundary (the frame must stay UTF-8).
            var cut = maxBytes;
            while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
            {
                cut--;
            }
            bytes = bytes[..cut];
            how += " + cut to the limit";
        }
        return (bytes, how);
    }

    private (JsonObject Json, string How) Template()
    {
        var id = ++_nextId;
        switch (random.Next(10))
        {
            case 0:
                return (new JsonObject { ["type"] = "ping" }, "ping");
            case 1:
                return (new JsonObject { ["type"] = "resume", ["id"] = id, ["pos"] = positions() }, "resume");
            case 2:
                return (new JsonObject { ["type"] = "connect", ["v"] = 1, ["token"] = "CfDJ8x", ["resume"] = positions() }, "connect");
            case 3:
                return (new JsonObject { ["type"] = Pick(["subscribe", "hello", "signal", "Call", "PING", "", "resumed"]), ["id"] = id }, "unknown type");
            default:
                var opts = new JsonObject();
                for (var i = random.Next(4); i > 0; i--)
                {
                    opts["k" + random.Next(5)] = random.Next(3) switch
                    {
                        0 => random.Next(),
                        1 => new string('x', random.Next(3) == 0 ? random.Next(6000) : random.Next(20)),
                        _ => new JsonArray(1, "two", null, new JsonObject { ["three"] = 3 }),
                    };
                }
                return (new JsonObject { ["type"] = "call", ["id"] = id, ["signal"] = Pick(signals), ["opts"] = opts }, "call");
        }
    }

    private (string Text, string What) MutateText(string text)
    {
        switch (random.Next(11))
        {
            case 0:
            case 1:
                return (ReplaceField(text, out var field, out var value), $"{field}={value}");
            case 2 when text.Length > 0:
                var at = random.Next(text.Length);
                var c = (char)random.Next(0, 128);
                return (text[..at] + c + text[(at + 1)..], $"char {at}=0x{(int)c:x2}");
            case 3:
                var cut = random.Next(text.Length);
                return (text[..cut], $"truncated to {cut}");
            case 4:
                var where = random.Next(text.Length + 1);
                var insert = Pick(["{", "}", "[", "]", "\"", ",", ":", "\\", " ", "0", "-", "e", "null", "\\u", "\n"]);
                return (text[..where] + insert + text[where..], $"inserted {insert} at {where}");
            case 5:
                var from = random.Next(text.Length);
                var length = random.Next(Math.Min(16, text.Length - from) + 1);
                return (text.Remove(from, length), $"deleted {length} at {from}");
            case 6:
                var depth = 1 + random.Next(200);
                return (text.Length > 1 ? text[..^1] + ",\"deep\":" + new string('[', depth) + new string(']', depth) + "}" : text, $"nested {depth}");
            case 7:
                var duplicate = Pick(Fields);
                return (text.StartsWith('{') ? "{\"" + duplicate + "\":" + Pick(WeirdValues) + "," + text[1..] : text, "duplicate " + duplicate);
            case 8:
                return (Pick(["[" + text + "]", "\"" + text.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"", "\uFEFF" + text, " \t\r\n" + text + " \n", text + text]), "wrapped");
            case 9:
                return ("{\"type\":\"resume\",\"id\":" + (1 + random.Next(5)) + ",\"pos\":" + PositionsOfWeirdShape() + "}", "resume with odd positions");
            default:
                return (text.Length > 0 ? text.Remove(text.Length - 1) + ",\"x" + random.Next() + "\":" + Pick(WeirdValues) + "}" : text, "extra field");
        }
    }

    /// <summary>Sets one of the protocol's fields (present or not) to a value of any kind.</summary>
    private string ReplaceField(string text, out string field, out string value)
    {
        field = Pick(Fields);
        value = Pick(WeirdValues);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return text;
        }
        if (node is not JsonObject obj)
        {
            return text;
        }
        try
        {
            obj[field] = Placeholder;
            return obj.ToJsonString().Replace("\"" + Placeholder + "\"", value, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or JsonException)
        {
            // Lone surrogates or duplicate keys from an earlier mutation: leave the frame as it is.
            return text;
        }
    }

    private string PositionsOfWeirdShape()
    {
        var count = random.Next(5) == 0 ? 1000 + random.Next(50) : random.Next(4);
        var entries = Enumerable.Range(0, count).Select(i => random.Next(6) switch
        {
            0 => $"\"{new string('a', 60 + random.Next(10))}\":[1,\"e\"]",
            1 => $"\"t{i}\":[{random.Next(-2, 3)},\"{new string('e', 120 + random.Next(16))}\"]",
            2 => $"\"t{i}\":{Pick(WeirdValues)}",
            3 => $"\"t{i}\":[{Pick(WeirdValues)},\"e\"]",
            4 => $"\"t{i}\":[1,{Pick(WeirdValues)}]",
            _ => $"\"t{i}\":[{random.Next(100)},\"e.{random.Next(3)}\"]",
        });
        return "{" + string.Join(",", entries) + "}";
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
