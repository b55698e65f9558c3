using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>
/// Reads the members of protocol frames (docs/protocol.md §3) as <see cref="TestWindow"/> keeps them: one JSON object
/// per frame. Every reader tolerates a missing or mistyped member (it returns null), as tests also look at bad frames.
/// </summary>
public static class FrameExtensions
{
    /// <summary>The frame's <c>type</c> (<c>hello</c>, <c>signal</c>, <c>accepted</c>, …), or null.</summary>
    public static string? Type(this JsonElement frame) => frame.Str("type");

    /// <summary>A string member of the frame, or null when it is absent or not a string.</summary>
    public static string? Str(this JsonElement frame, string property) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The frame's <c>id</c> (of a call, an invoke or a resume), or null.</summary>
    public static long? Id(this JsonElement frame) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty("id", out var id) && id.TryGetInt64(out var value) ? value : null;

    /// <summary>A signal frame's <c>opts</c> (the kwargs); an empty object when absent.</summary>
    public static JsonElement Opts(this JsonElement frame) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty("opts", out var opts) ? opts : EmptyObject;

    /// <summary>Whether the frame is a <c>signal</c> frame of <paramref name="signal"/>.</summary>
    public static bool IsSignal(this JsonElement frame, string signal) => frame.Type() == "signal" && frame.Str("signal") == signal;

    /// <summary>Whether the frame is an <c>error</c> frame with <paramref name="code"/>.</summary>
    public static bool IsError(this JsonElement frame, string code) => frame.Type() == "error" && frame.Str("code") == code;

    /// <summary>Whether the frame is the <c>result</c> of the invoke <paramref name="id"/>.</summary>
    public static bool IsResult(this JsonElement frame, long id) => frame.Type() == "result" && frame.Id() == id;

    /// <summary>
    /// The frame's <c>pos</c> (<c>hello.pos</c>, <c>signal.pos</c>): topic id → position; empty when the frame has none
    /// (a signal the server could not sequence).
    /// </summary>
    /// <exception cref="FormatException">An entry is not <c>[seq, "epoch"]</c>.</exception>
    public static IReadOnlyDictionary<string, Pos> Pos(this JsonElement frame) => frame.PositionsOf("pos");

    /// <summary>
    /// A member of the frame that maps topic ids to positions (<c>pos</c>; <c>add</c> of a <c>topics</c> frame: the
    /// positions the window follows each joined topic from); empty when absent.
    /// </summary>
    /// <exception cref="FormatException">An entry is not <c>[seq, "epoch"]</c>.</exception>
    public static IReadOnlyDictionary<string, Pos> PositionsOf(this JsonElement frame, string member)
    {
        var result = new Dictionary<string, Pos>(StringComparer.Ordinal);
        if (frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty(member, out var pos) && pos.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in pos.EnumerateObject())
            {
                var value = entry.Value;
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2 || !value[0].TryGetInt64(out var seq)
                    || value[1].ValueKind != JsonValueKind.String)
                {
                    throw new FormatException($"pos of topic {entry.Name} is not [seq, \"epoch\"]: {value.GetRawText()}");
                }
                result[entry.Name] = new Pos(seq, value[1].GetString()!);
            }
        }
        return result;
    }

    /// <summary>The position of <paramref name="topic"/> (a topic string, not its id) in the frame's <c>pos</c>, or null.</summary>
    public static Pos? PosOf(this JsonElement frame, string topic) =>
        frame.Pos().TryGetValue(TestWindow.TopicId(topic), out var p) ? p : null;

    /// <summary><c>recovered</c> of <c>hello</c> or <c>resumed</c>: null (no resume asked), true or false.</summary>
    public static bool? Recovered(this JsonElement frame) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty("recovered", out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            }
            : null;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
}
