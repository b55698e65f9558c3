using System.Buffers.Binary;
using System.Text;

namespace Switchboard.Internal.Protocol;

/// <summary>
/// RFC 6455 framing of server frames: unmasked, final, a 2-, 4- or 10-byte header. Server frames are built once with their
/// header (a broadcast's bytes are the same for every window), so a window's writer only copies them to the socket.
/// </summary>
internal static class WebSocketFraming
{
    private const byte FinText = 0x81;
    private const byte FinClose = 0x88;

    /// <summary>The header length of a frame whose payload is <paramref name="payloadLength"/> bytes.</summary>
    public static int HeaderLength(int payloadLength) => payloadLength < 126 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>Writes a final text frame header for <paramref name="payloadLength"/> bytes; returns its length.</summary>
    public static int WriteTextHeader(Span<byte> destination, int payloadLength) => WriteHeader(destination, FinText, payloadLength);

    /// <summary>A whole text frame around <paramref name="payload"/>.</summary>
    public static byte[] Text(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderLength(payload.Length) + payload.Length];
        var header = WriteTextHeader(frame, payload.Length);
        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }

    /// <summary>A close frame (code and a UTF-8 reason cut to the 123 bytes a control frame allows).</summary>
    public static byte[] Close(int code, string reason)
    {
        var reasonBytes = Encoding.UTF8.GetBytes(reason);
        var length = Math.Min(reasonBytes.Length, 123);
        while (length > 0 && length < reasonBytes.Length && (reasonBytes[length] & 0xC0) == 0x80)
        {
            length--; // never cut inside a UTF-8 sequence
        }
        var frame = new byte[2 + 2 + length];
        WriteHeader(frame, FinClose, 2 + length);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)code);
        reasonBytes.AsSpan(0, length).CopyTo(frame.AsSpan(4));
        return frame;
    }

    /// <summary>The payload of a frame built here (what the browser receives as the message).</summary>
    public static ReadOnlySpan<byte> Payload(byte[] frame) => frame.AsSpan(HeaderLengthOf(frame));

    /// <summary>The payload of a frame built here, as memory.</summary>
    public static ReadOnlyMemory<byte> PayloadMemory(byte[] frame) => frame.AsMemory(HeaderLengthOf(frame));

    private static int HeaderLengthOf(byte[] frame) => (frame[1] & 0x7F) switch
    {
        126 => 4,
        127 => 10,
        _ => 2,
    };

    private static int WriteHeader(Span<byte> destination, byte first, int payloadLength)
    {
        destination[0] = first;
        if (payloadLength < 126)
        {
            destination[1] = (byte)payloadLength;
            return 2;
        }
        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }
        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }
}
