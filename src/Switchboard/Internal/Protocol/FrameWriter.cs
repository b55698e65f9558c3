using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Internal.Calls;

namespace Switchboard.Internal.Protocol;

/// <summary>
/// Writes server frames, each whole with its WebSocket header (<see cref="WebSocketFraming"/>), once: the same bytes
/// go to every window. Message bodies (what the broker sequences and keeps) are written without braces or header.
/// </summary>
internal static class FrameWriter
{
    // Frames are JSON in WebSocket messages, never HTML: the relaxed encoder keeps é as é (kwargs are written with it too).
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The body of a message: its members without braces (<c>"type":"signal","signal":…,"opts":…,"signal_id":…</c>), what
    /// the broker sequences, stores and carries; <see cref="Sequenced"/> adds the positions. <paramref name="kwargs"/> is
    /// serialized straight into the body (an object, see <see cref="SwitchboardJson.WriteKwargs"/>).
    /// </summary>
    public static byte[] SignalBody(string signal, object? kwargs, SignalId signalId) => SignalBody(signal, kwargs, null, signalId);

    /// <summary>The body of a message whose kwargs are already JSON object text.</summary>
    public static byte[] SignalBody(string signal, string kwargsJson, SignalId signalId) => SignalBody(signal, null, kwargsJson, signalId);

    /// <summary>The body of a message whose kwargs are already JSON object text (a delayed delivery job).</summary>
    public static byte[] SignalBody(string signal, string kwargsJson, string signalId) => SignalBody(signal, null, kwargsJson, SignalId.From(signalId));

    private static byte[] SignalBody(string signal, object? kwargs, string? kwargsJson, SignalId signalId)
    {
        var (buffer, w) = Rent();
        w.WriteStartObject();
        w.WriteString("type"u8, "signal"u8);
        w.WriteString("signal"u8, signal);
        w.WritePropertyName("opts"u8);
        if (kwargsJson is not null)
        {
            w.WriteRawValue(kwargsJson, skipInputValidation: true);
        }
        else
        {
            SwitchboardJson.WriteKwargs(w, kwargs);
        }
        signalId.WriteTo(w);
        w.WriteEndObject();
        w.Flush();
        return Body(buffer);
    }

    /// <summary>The body of an error report sequenced in the calling window's topic (so it survives a reconnect).</summary>
    public static byte[] ErrorBody(string code, string message, long? id, string? signal)
    {
        var (buffer, w) = Rent();
        WriteError(w, code, message, id, signal);
        return Body(buffer);
    }

    /// <summary>
    /// The body of a function's result, published to the calling window's topic: <c>"type":"result","id":…,"value":…,"signal_id":…</c>
    /// with <paramref name="valueJson"/> (the return value, already JSON) written as is.
    /// </summary>
    public static byte[] ResultBody(long id, ReadOnlySpan<byte> valueJson, SignalId signalId)
    {
        var (buffer, w) = Rent();
        w.WriteStartObject();
        w.WriteString("type"u8, ProtocolNames.FrameTypes.Result);
        w.WriteNumber("id"u8, id);
        w.WritePropertyName("value"u8);
        w.WriteRawValue(valueJson, skipInputValidation: true);
        signalId.WriteTo(w);
        w.WriteEndObject();
        w.Flush();
        return Body(buffer);
    }

    /// <summary>The body of a function's failure (<c>handler_failed</c>, <c>bad_arguments</c>, <c>expired</c>), published like its result.</summary>
    public static byte[] ResultErrorBody(long id, string code, string message, SignalId signalId)
    {
        var (buffer, w) = Rent();
        WriteResultError(w, id, code, message, signalId);
        return Body(buffer);
    }

    /// <summary>A whole <c>result</c> frame refusing an invoke at dispatch: written on the socket, no <c>signal_id</c>, no <c>pos</c>.</summary>
    public static byte[] ResultRefused(long id, string code, string message)
    {
        var (buffer, w) = Rent();
        WriteResultError(w, id, code, message, signalId: null);
        return Frame(buffer);
    }

    /// <summary>A frame from a body plus the message's positions in the given topics (none: no <c>pos</c>).</summary>
    public static byte[] Sequenced(ReadOnlySpan<byte> body, IReadOnlyList<string> topics, IReadOnlyList<TopicPosition> positions)
    {
        var (buffer, writer) = Rent();
        buffer.Write("{"u8);
        buffer.Write(body);
        if (topics.Count > 0)
        {
            buffer.Write(",\"pos\":"u8);
            writer.WriteStartObject();
            for (var i = 0; i < topics.Count; i++)
            {
                writer.WriteStartArray(TopicIds.Of(topics[i]));
                writer.WriteNumberValue(positions[i].Sequence);
                writer.WriteStringValue(positions[i].Epoch);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
            writer.Flush();
        }
        buffer.Write("}"u8);
        return Frame(buffer);
    }

    /// <summary>A frame without positions (a delivery the broker could not sequence).</summary>
    public static byte[] Unsequenced(ReadOnlySpan<byte> body) => Sequenced(body, [], []);

    /// <summary>A whole signal frame without positions.</summary>
    public static byte[] Signal(string signal, string kwargsJson, string signalId) => Unsequenced(SignalBody(signal, kwargsJson, signalId));

    public static byte[] Resumed(long id, bool recovered)
    {
        var (buffer, w) = Rent();
        w.WriteStartObject();
        w.WriteString("type"u8, ProtocolNames.FrameTypes.Resumed);
        w.WriteNumber("id"u8, id);
        w.WriteBoolean("recovered"u8, recovered);
        w.WriteEndObject();
        w.Flush();
        return Frame(buffer);
    }

    public static byte[] Hello(
        IEnumerable<string> signals, TimeSpan heartbeat, IReadOnlyDictionary<string, TopicPosition>? positions = null, bool? recovered = null,
        IEnumerable<string>? functions = null)
    {
        var (buffer, w) = Rent();
        w.WriteStartObject();
        w.WriteString("type"u8, ProtocolNames.FrameTypes.Hello);
        w.WriteNumber("v"u8, ProtocolNames.Version);
        w.WriteStartArray("signals"u8);
        foreach (var s in signals)
        {
            w.WriteStringValue(s);
        }
        w.WriteEndArray();
        w.WriteStartArray("functions"u8);
        foreach (var f in functions ?? [])
        {
            w.WriteStringValue(f);
        }
        w.WriteEndArray();
        w.WriteNumber("heartbeat"u8, (long)heartbeat.TotalMilliseconds);
        w.WriteStartObject("pos"u8);
        foreach (var (topic, position) in positions ?? new Dictionary<string, TopicPosition>())
        {
            w.WriteStartArray(TopicIds.Of(topic));
            w.WriteNumberValue(position.Sequence);
            w.WriteStringValue(position.Epoch);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        if (recovered is { } r)
        {
            w.WriteBoolean("recovered"u8, r);
        }
        else
        {
            w.WriteNull("recovered"u8);
        }
        w.WriteEndObject();
        w.Flush();
        return Frame(buffer);
    }

    public static byte[] Accepted(long id, int jobs)
    {
        var (buffer, w) = Rent();
        w.WriteStartObject();
        w.WriteString("type"u8, "accepted"u8);
        w.WriteNumber("id"u8, id);
        w.WriteNumber("jobs"u8, jobs);
        w.WriteEndObject();
        w.Flush();
        return Frame(buffer);
    }

    public static byte[] Refused(long id, string code, string message)
    {
        var (buffer, w) = Rent();
        w.WriteStartObject();
        w.WriteString("type"u8, ProtocolNames.FrameTypes.Refused);
        w.WriteNumber("id"u8, id);
        w.WriteString("code"u8, code);
        w.WriteString("message"u8, message);
        w.WriteEndObject();
        w.Flush();
        return Frame(buffer);
    }

    public static byte[] Error(string code, string message, long? id = null, string? signal = null)
    {
        var (buffer, w) = Rent();
        WriteError(w, code, message, id, signal);
        return Frame(buffer);
    }

    /// <summary>A new window token for reconnects, and when it expires (Unix milliseconds): docs/protocol.md §3.</summary>
    public static byte[] Token(string token, long expiresUnixMs)
    {
        var (buffer, w) = Rent();
        w.WriteStartObject();
        w.WriteString("type"u8, ProtocolNames.FrameTypes.Token);
        w.WriteString("token"u8, token);
        w.WriteNumber("expires"u8, expiresUnixMs);
        w.WriteEndObject();
        w.Flush();
        return Frame(buffer);
    }

    public static byte[] Pong { get; } = PongFrame();

    private static byte[] PongFrame()
    {
        var (buffer, w) = Rent();
        w.WriteStartObject();
        w.WriteString("type"u8, ProtocolNames.FrameTypes.Pong);
        w.WriteEndObject();
        w.Flush();
        return Frame(buffer);
    }

    private static void WriteResultError(Utf8JsonWriter w, long id, string code, string message, SignalId? signalId)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, ProtocolNames.FrameTypes.Result);
        w.WriteNumber("id"u8, id);
        w.WriteStartObject("error"u8);
        w.WriteString("code"u8, code);
        w.WriteString("message"u8, message);
        w.WriteEndObject();
        signalId?.WriteTo(w);
        w.WriteEndObject();
        w.Flush();
    }

    private static void WriteError(Utf8JsonWriter w, string code, string message, long? id, string? signal)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, ProtocolNames.FrameTypes.Error);
        w.WriteString("code"u8, code);
        w.WriteString("message"u8, message);
        if (id is { } i)
        {
            w.WriteNumber("id"u8, i);
        }
        if (signal is not null)
        {
            w.WriteString("signal"u8, signal);
        }
        w.WriteEndObject();
        w.Flush();
    }

    // One buffer and writer per thread, reused: a new Utf8JsonWriter over a new ArrayBufferWriter grows it to 4 KiB on
    // its first write, so every frame cost ~5 KB of garbage (docs/benchmarks.md). Frames never nest, so a thread never
    // needs two at once; the result is copied out, the frame bytes are owned by the caller.
    private const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer) Rent()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        return (buffer, writer);
    }

    /// <summary>The written JSON object without its braces: a message body.</summary>
    private static byte[] Body(ArrayBufferWriter<byte> buffer)
    {
        var result = buffer.WrittenSpan[1..^1].ToArray();
        Release(buffer);
        return result;
    }

    /// <summary>The written JSON as a whole text frame, header included.</summary>
    private static byte[] Frame(ArrayBufferWriter<byte> buffer)
    {
        var result = WebSocketFraming.Text(buffer.WrittenSpan);
        Release(buffer);
        return result;
    }

    private static void Release(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > KeptBufferBytes)
        {
            t_buffer = null; // a rare huge frame: do not keep its buffer for the thread's lifetime
            t_writer = null;
        }
    }
}
