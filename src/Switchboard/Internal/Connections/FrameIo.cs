using System.Buffers;
using System.Net.WebSockets;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Reads whole WebSocket messages, refusing any larger than the configured limit; closes a socket directly (before its
/// window's connection exists, or when serving it failed).
/// </summary>
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

    /// <summary>Writes a close frame unless the socket is closing already; a peer already gone is not an error.</summary>
    public static async Task CloseAsync(WebSocket socket, int code, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer is gone already; nothing more to tell it.
        }
    }
}
