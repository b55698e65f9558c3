using System.Buffers;
using System.Net.WebSockets;

namespace Switchboard.Internal.Connections;

/// <summary>Reads whole WebSocket messages, refusing any larger than the configured limit.</summary>
internal static class FrameIo
{
    public static async ValueTask<FrameResult> ReceiveAsync(WebSocket socket, byte[] buffer, int maxBytes, CancellationToken cancellationToken)
    {
        var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            return new FrameResult(FrameKind.Close, default);
        }
        if (result.EndOfMessage)
        {
            return Classify(result.MessageType, result.Count, maxBytes, buffer.AsMemory(0, result.Count));
        }
        // A message longer than the pooled buffer: accumulate, up to the limit.
        var writer = new ArrayBufferWriter<byte>(Math.Min(maxBytes + 1, buffer.Length * 4));
        writer.Write(buffer.AsSpan(0, result.Count));
        while (!result.EndOfMessage)
        {
            if (writer.WrittenCount > maxBytes)
            {
                return new FrameResult(FrameKind.TooLarge, default);
            }
            result = await socket.ReceiveAsync(writer.GetMemory(4096), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new FrameResult(FrameKind.Close, default);
            }
            writer.Advance(result.Count);
        }
        return Classify(result.MessageType, writer.WrittenCount, maxBytes, writer.WrittenMemory);
    }

    private static FrameResult Classify(WebSocketMessageType type, int count, int maxBytes, ReadOnlyMemory<byte> payload) =>
        count > maxBytes ? new FrameResult(FrameKind.TooLarge, default)
        : type == WebSocketMessageType.Binary ? new FrameResult(FrameKind.Binary, default)
        : new FrameResult(FrameKind.Text, payload);
}
