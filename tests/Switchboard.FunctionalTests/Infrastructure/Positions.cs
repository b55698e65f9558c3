using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// Topic ids and positions as a client sees them (protocol.md §1, §3, §7): <c>hello.pos</c>, <c>signal.pos</c>,
/// <c>connect.resume</c> and <c>resume</c>. Computed here from the spec, not with the server's code.
/// </summary>
internal static class Positions
{
    /// <summary>The id of a topic: the first 16 hex digits (lower case) of SHA-1 of the topic string.</summary>
    public static string TopicId(string topic) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(topic)).AsSpan(0, 8));

    /// <summary>The <c>pos</c> member of a frame (topic id → position); empty when the frame has none.</summary>
    public static Dictionary<string, Pos> Pos(this JsonElement frame)
    {
        var result = new Dictionary<string, Pos>(StringComparer.Ordinal);
        if (frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty("pos", out var pos) && pos.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in pos.EnumerateObject())
            {
                Assert.Equal(JsonValueKind.Array, entry.Value.ValueKind);
                Assert.Equal(2, entry.Value.GetArrayLength());
                result[entry.Name] = new Pos(entry.Value[0].GetInt64(), entry.Value[1].GetString()!);
            }
        }
        return result;
    }

    /// <summary>The position of <paramref name="topic"/> in a frame, or null.</summary>
    public static Pos? PosOf(this JsonElement frame, string topic) => frame.Pos().TryGetValue(TopicId(topic), out var p) ? p : null;

    /// <summary><c>hello.recovered</c>: null, true or false.</summary>
    public static bool? Recovered(this JsonElement frame) =>
        frame.GetProperty("recovered").ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            var kind => throw new InvalidOperationException("recovered is " + kind),
        };

    /// <summary>
    /// The last position of each topic a client would keep from the frames a window received: <c>hello.pos</c>, then
    /// every <c>signal.pos</c> entry of the window's topics (any frame with <c>pos</c>, replays before hello included).
    /// </summary>
    public static Dictionary<string, Pos> LastPositions(IReadOnlyList<JsonElement> received)
    {
        var last = new Dictionary<string, Pos>(StringComparer.Ordinal);
        var hello = received.First(f => f.Type() == "hello");
        foreach (var (id, p) in hello.Pos())
        {
            last[id] = p;
        }
        foreach (var frame in received.Skip(received.ToList().IndexOf(hello) + 1))
        {
            foreach (var (id, p) in frame.Pos())
            {
                if (last.TryGetValue(id, out var current) && (current.Epoch != p.Epoch || p.Seq > current.Seq))
                {
                    last[id] = p;
                }
            }
        }
        return last;
    }

    /// <summary>Positions as JSON (<c>{"id": [seq, "epoch"]}</c>) for <c>connect.resume</c> and <c>resume.pos</c>.</summary>
    public static JsonObject ToJson(IReadOnlyDictionary<string, Pos> positions)
    {
        var json = new JsonObject();
        foreach (var (id, p) in positions)
        {
            json[id] = new JsonArray(p.Seq, p.Epoch);
        }
        return json;
    }

    /// <summary>The frames of <paramref name="received"/> before <c>hello</c> (what a resumed connect replayed).</summary>
    public static List<JsonElement> BeforeHello(IReadOnlyList<JsonElement> received) =>
        [.. received.TakeWhile(f => f.Type() != "hello")];

    /// <summary>The frames of <paramref name="received"/> after <c>hello</c>.</summary>
    public static List<JsonElement> AfterHello(IReadOnlyList<JsonElement> received) =>
        [.. received.SkipWhile(f => f.Type() != "hello").Skip(1)];

    /// <summary>Sends a live <c>resume</c> frame and waits for its <c>resumed</c>; returns it.</summary>
    public static async Task<JsonElement> ResumeAsync(this TestWindow window, long id, IReadOnlyDictionary<string, Pos> positions)
    {
        await window.SendTextAsync(new JsonObject { ["type"] = "resume", ["id"] = id, ["pos"] = ToJson(positions) }.ToJsonString());
        return await window.NextFrameAsync(f => f.Type() == "resumed" && f.Id() == id, "resumed " + id);
    }
}
