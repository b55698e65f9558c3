namespace Switchboard.Internal.Connections;

/// <summary>
/// Where a window's frames are written. <see cref="WindowConnection"/> guarantees one write at a time, in order; a
/// write may complete asynchronously (backpressure), and the connection does not start another until it has.
/// </summary>
internal abstract class WindowWire
{
    /// <summary>Writes one whole server frame (header included, see <c>WebSocketFraming</c>).</summary>
    public abstract ValueTask WriteAsync(byte[] frame, CancellationToken cancellationToken);

    /// <summary>Writes whole server frames (header included, see <c>WebSocketFraming</c>), in order.</summary>
    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte[]> frames, CancellationToken cancellationToken);

    /// <summary>Sends the close frame; nothing is written after it.</summary>
    public abstract ValueTask CloseAsync(int code, string reason, CancellationToken cancellationToken);
}
