using System.Buffers;
using System.Text.Json;

namespace Switchboard.Protocol;

/// <summary>Writes server frames. Each frame is serialized once and the same bytes go to every window.</summary>
internal static class FrameWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static byte[] Signal(string signal, string kwargsJson, string signalId) =>
        Write(w =>
        {
            w.WriteString("type", ProtocolNames.FrameTypes.Signal);
            w.WriteString("signal", signal);
            w.WritePropertyName("opts");
            w.WriteRawValue(kwargsJson, skipInputValidation: true);
            w.WriteString("signal_id", signalId);
        });

    public static byte[] Hello(IEnumerable<string> signals, TimeSpan heartbeat) =>
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

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
