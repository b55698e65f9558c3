using System.Buffers;
using System.Text.Json;

namespace Switchboard.Protocol;

/// <summary>Writes server frames. Each frame is serialized once and the same bytes go to every window.</summary>
internal static class FrameWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>
    /// The body of a sequenced message: its members without braces (<c>"type":"signal","signal":…,"opts":…,"signal_id":…</c>),
    /// what the broker sequences, stores and carries; <see cref="Sequenced"/> adds the positions.
    /// </summary>
    public static byte[] SignalBody(string signal, string kwargsJson, string signalId) =>
        Write(w =>
        {
            w.WriteString("type", ProtocolNames.FrameTypes.Signal);
            w.WriteString("signal", signal);
            w.WritePropertyName("opts");
            w.WriteRawValue(kwargsJson, skipInputValidation: true);
            w.WriteString("signal_id", signalId);
        }, braces: false);

    /// <summary>The body of an error report sequenced in the calling window's topic (so it survives a reconnect).</summary>
    public static byte[] ErrorBody(string code, string message, long? id, string? signal) => Error(code, message, id, signal)[1..^1];

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
        return Finish(buffer, trimBraces: false);
    }

    /// <summary>A frame without positions (a delivery the broker could not sequence).</summary>
    public static byte[] Unsequenced(ReadOnlySpan<byte> body) => Sequenced(body, [], []);

    /// <summary>A whole signal frame without positions.</summary>
    public static byte[] Signal(string signal, string kwargsJson, string signalId) => Unsequenced(SignalBody(signal, kwargsJson, signalId));

    public static byte[] Resumed(long id, bool recovered) =>
        Write(w =>
        {
            w.WriteString("type", ProtocolNames.FrameTypes.Resumed);
            w.WriteNumber("id", id);
            w.WriteBoolean("recovered", recovered);
        });

    public static byte[] Hello(
        IEnumerable<string> signals, TimeSpan heartbeat, IReadOnlyDictionary<string, TopicPosition>? positions = null, bool? recovered = null) =>
        Write(w =>
        {
            w.WriteString("type", ProtocolNames.FrameTypes.Hello);
            w.WriteNumber("v", ProtocolNames.Version);
            w.WriteStartArray("signals");
            foreach (var s in signals)
            {
                w.WriteStringValue(s);
            }
            w.WriteEndArray();
            w.WriteNumber("heartbeat", (long)heartbeat.TotalMilliseconds);
            w.WriteStartObject("pos");
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
                w.WriteBoolean("recovered", r);
            }
            else
            {
                w.WriteNull("recovered");
            }
        });

    public static byte[] Accepted(long id, int jobs) =>
        Write(w =>
        {
            w.WriteString("type", ProtocolNames.FrameTypes.Accepted);
            w.WriteNumber("id", id);
            w.WriteNumber("jobs", jobs);
        });

    public static byte[] Refused(long id, string code, string message) =>
        Write(w =>
        {
            w.WriteString("type", ProtocolNames.FrameTypes.Refused);
            w.WriteNumber("id", id);
            w.WriteString("code", code);
            w.WriteString("message", message);
        });

    public static byte[] Error(string code, string message, long? id = null, string? signal = null) =>
        Write(w =>
        {
            w.WriteString("type", ProtocolNames.FrameTypes.Error);
            w.WriteString("code", code);
            w.WriteString("message", message);
            if (id is { } i)
            {
                w.WriteNumber("id", i);
            }
            if (signal is not null)
            {
                w.WriteString("signal", signal);
            }
        });

    public static byte[] Pong { get; } = Write(w => w.WriteString("type", ProtocolNames.FrameTypes.Pong));

    private static byte[] Write(Action<Utf8JsonWriter> body, bool braces = true)
    {
        var (buffer, writer) = Rent();
        writer.WriteStartObject();
        body(writer);
        writer.WriteEndObject();
        writer.Flush();
        return Finish(buffer, trimBraces: !braces);
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

    private static byte[] Finish(ArrayBufferWriter<byte> buffer, bool trimBraces)
    {
        var result = trimBraces ? buffer.WrittenSpan[1..^1].ToArray() : buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > KeptBufferBytes)
        {
            t_buffer = null; // a rare huge frame: do not keep its buffer for the thread's lifetime
            t_writer = null;
        }
        return result;
    }
}
