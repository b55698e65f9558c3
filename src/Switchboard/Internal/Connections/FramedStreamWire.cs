using System.Buffers;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Writes frames straight to the upgraded HTTP/1.1 stream: every frame waiting for a window goes out in one write (one
/// copy into Kestrel's pipe, one flush, one <c>sendmsg</c> at most), where <c>WebSocket.SendAsync</c> costs a write and
/// a flush per frame. Frames already carry their header, so a broadcast is framed once for all windows.
/// </summary>
internal sealed class FramedStreamWire(Stream stream) : WindowWire
{
    /// <summary>Frames are gathered into writes of at most this many bytes.</summary>
    private const int BatchBytes = 32 * 1024;

    public override ValueTask WriteAsync(byte[] frame, CancellationToken cancellationToken) => stream.WriteAsync(frame, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte[]> frames, CancellationToken cancellationToken) =>
        frames.Length == 1 ? stream.WriteAsync(frames.Span[0], cancellationToken) : WriteBatchAsync(frames, cancellationToken);

    public override async ValueTask CloseAsync(int code, string reason, CancellationToken cancellationToken) =>
        await stream.WriteAsync(WebSocketFraming.Close(code, reason), cancellationToken);

    private async ValueTask WriteBatchAsync(ReadOnlyMemory<byte[]> frames, CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var frame in frames.Span)
        {
            total += frame.Length;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(total, BatchBytes));
        try
        {
            var used = 0;
            for (var i = 0; i < frames.Length; i++)
            {
                var frame = frames.Span[i];
                if (frame.Length > buffer.Length - used && used > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, used), cancellationToken);
                    used = 0;
                }
                if (frame.Length > buffer.Length)
                {
                    await stream.WriteAsync(frame, cancellationToken); // larger than a batch: on its own
                    continue;
                }
                frame.CopyTo(buffer.AsSpan(used));
                used += frame.Length;
            }
            if (used > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, used), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
