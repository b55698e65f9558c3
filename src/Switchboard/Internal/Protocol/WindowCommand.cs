using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Internal.Protocol;

/// <summary>
/// A change of a live window made by server code (<c>IWindowControl</c>): join or leave topics, or close. It travels as a
/// message body through the broker to the window's (or the user's) own topic, so it is sequenced with that topic's other
/// messages, kept in its history and replayed after a reconnect. Its body names topic <em>keys</em>, which windows must
/// never see: a node never forwards it, it applies it and writes the window a <c>topics</c> frame of topic ids instead
/// (<see cref="TopicsFrame"/>), or closes the socket.
/// </summary>
internal sealed class WindowCommand
{
    private const string TopicsType = "topics";
    private const string CloseType = "close";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private WindowCommand(bool isClose, string[] add, string[] remove, Dictionary<string, TopicPosition> since, string signalId, int code, string reason)
    {
        IsClose = isClose;
        Add = add;
        Remove = remove;
        Since = since;
        SignalId = signalId;
        Code = code;
        Reason = reason;
    }

    /// <summary>A close (<see cref="Code"/>, <see cref="Reason"/>) rather than a change of topics.</summary>
    public bool IsClose { get; }

    /// <summary>Topic keys to join.</summary>
    public IReadOnlyList<string> Add { get; }

    /// <summary>Topic keys to leave.</summary>
    public IReadOnlyList<string> Remove { get; }

    /// <summary>
    /// Per topic key, its position when the change was made: a joined topic's messages after it reach the window, a
    /// left topic's messages after it do not.
    /// </summary>
    public IReadOnlyDictionary<string, TopicPosition> Since { get; }

    public string SignalId { get; }

    public int Code { get; }

    public string Reason { get; }

    /// <summary>Whether a message body is a command (bodies start with their type: see <see cref="FrameWriter"/>).</summary>
    public static bool IsCommand(ReadOnlySpan<byte> body) =>
        body.StartsWith("\"type\":\"topics\""u8) || body.StartsWith("\"type\":\"close\""u8);

    /// <summary>The body of a change of topics: <c>"type":"topics","add":[keys],"remove":[keys],"since":{key:[seq,epoch]},"signal_id":…</c>.</summary>
    public static byte[] TopicsBody(IReadOnlyList<string> add, IReadOnlyList<string> remove, IReadOnlyDictionary<string, TopicPosition> since, SignalId signalId) =>
        Body(w =>
        {
            w.WriteString("type"u8, TopicsType);
            WriteArray(w, "add"u8, add);
            WriteArray(w, "remove"u8, remove);
            w.WriteStartObject("since"u8);
            foreach (var (topic, position) in since)
            {
                WritePosition(w, topic, position);
            }
            w.WriteEndObject();
            signalId.WriteTo(w);
        });

    /// <summary>The body of a close: <c>"type":"close","code":4003,"reason":…,"signal_id":…</c>.</summary>
    public static byte[] CloseBody(int code, string reason, SignalId signalId) =>
        Body(w =>
        {
            w.WriteString("type"u8, CloseType);
            w.WriteNumber("code"u8, code);
            w.WriteString("reason"u8, reason);
            signalId.WriteTo(w);
        });

    /// <summary>Reads a body that <see cref="IsCommand"/> recognised; throws <see cref="JsonException"/> when it is malformed.</summary>
    public static WindowCommand Parse(ReadOnlySpan<byte> body)
    {
        var json = new byte[body.Length + 2];
        json[0] = (byte)'{';
        body.CopyTo(json.AsSpan(1));
        json[^1] = (byte)'}';
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var signalId = root.TryGetProperty("signal_id", out var id) ? id.GetString() ?? "" : "";
        if (root.GetProperty("type").GetString() == CloseType)
        {
            return new WindowCommand(true, [], [], [], signalId, root.GetProperty("code").GetInt32(),
                root.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "" : "");
        }
        var since = new Dictionary<string, TopicPosition>(StringComparer.Ordinal);
        if (root.TryGetProperty("since", out var positions))
        {
            foreach (var entry in positions.EnumerateObject())
            {
                since[entry.Name] = new TopicPosition(entry.Value[0].GetInt64(), entry.Value[1].GetString()!);
            }
        }
        return new WindowCommand(false, ReadArray(root, "add"), ReadArray(root, "remove"), since, signalId, 0, "");
    }

    /// <summary>
    /// The frame a window gets for this command: <c>{"type":"topics","add":{id:[seq,epoch]},"remove":[ids],"signal_id":…,"pos":{…}}</c>,
    /// with topic ids only. <paramref name="topic"/> and <paramref name="position"/> are where the command was sequenced
    /// (the window's or the user's topic); no position: no <c>pos</c> (the broker could not sequence it).
    /// </summary>
    public byte[] TopicsFrame(IReadOnlyDictionary<string, TopicPosition> addIds, IReadOnlyList<string> removeIds, string topic, TopicPosition? position)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, ProtocolNames.FrameTypes.Topics);
            w.WriteStartObject("add"u8);
            foreach (var (id, since) in addIds)
            {
                WritePosition(w, id, since);
            }
            w.WriteEndObject();
            WriteArray(w, "remove"u8, removeIds);
            w.WriteString("signal_id"u8, SignalId);
            if (position is { } p)
            {
                w.WriteStartObject("pos"u8);
                WritePosition(w, TopicIds.Of(topic), p);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return WebSocketFraming.Text(buffer.WrittenSpan);
    }

    /// <summary>A <c>topics</c> frame that changes nothing: it only moves the window along <paramref name="topic"/>.</summary>
    public byte[] NoOpFrame(string topic, TopicPosition? position) => TopicsFrame(new Dictionary<string, TopicPosition>(), [], topic, position);

    private static byte[] Body(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan[1..^1].ToArray();
    }

    private static void WriteArray(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }
        w.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter w, string name, TopicPosition position)
    {
        w.WriteStartArray(name);
        w.WriteNumberValue(position.Sequence);
        w.WriteStringValue(position.Epoch);
        w.WriteEndArray();
    }

    private static string[] ReadArray(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) ? [.. array.EnumerateArray().Select(e => e.GetString()!)] : [];
}
