using System.Net.WebSockets;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Writes frames through a <see cref="WebSocket"/>, one message each: for sockets Switchboard did not upgrade itself
/// (HTTP/2 WebSockets, test servers). Slower than <see cref="FramedStreamWire"/>, same order and close semantics.
/// </summary>
internal sealed class WebSocketWire(WebSocket socket) : WindowWire
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    public override ValueTask WriteAsync(byte[] frame, CancellationToken cancellationToken) =>
        socket.SendAsync(WebSocketFraming.PayloadMemory(frame), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte[]> frames, CancellationToken cancellationToken)
    {
        for (var i = 0; i < frames.Length; i++)
        {
            await socket.SendAsync(WebSocketFraming.PayloadMemory(frames.Span[i]), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
    }

    public override async ValueTask CloseAsync(int code, string reason, CancellationToken cancellationToken)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CloseTimeout);
        await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
    }
}
