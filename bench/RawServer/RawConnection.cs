using System.Buffers;
using System.Buffers.Binary;
using System.Threading.Channels;

namespace Switchboard.Bench.Raw;

/// <summary>Server side WebSocket framing (RFC 6455): unmasked frames out, masked frames in.</summary>
public static class WebSocketFraming
{
    public static byte[] TextFrame(ReadOnlySpan<byte> payload) => Frame(0x1, payload);

    public static byte[] Frame(int opcode, ReadOnlySpan<byte> payload)
    {
        var header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var frame = new byte[header + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        if (header == 2)
        {
            frame[1] = (byte)payload.Length;
        }
        else if (header == 4)
        {
            frame[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }
        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }
}

/// <summary>One raw WebSocket: a bounded queue of ready frames, a send loop that batches them, a receive loop that echoes text.</summary>
public sealed class RawConnection(Stream stream)
{
    private const int BatchBytes = 16 * 1024;
    private const int MaxIncoming = 64 * 1024;
    private readonly Channel<byte[]> _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Queues a frame; a connection whose queue is full is closed (as Switchboard closes slow windows).</summary>
    public bool TrySend(byte[] frame)
    {
        if (_outbox.Writer.TryWrite(frame))
        {
            return true;
        }
        _outbox.Writer.TryComplete();
        return false;
    }

    public async Task RunAsync(CancellationToken aborted)
    {
        var sending = SendLoopAsync(aborted);
        try
        {
            await ReceiveLoopAsync(aborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _outbox.Writer.TryComplete();
        await sending;
    }

    private async Task SendLoopAsync(CancellationToken aborted)
    {
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(aborted))
            {
                var batch = ArrayPool<byte>.Shared.Rent(BatchBytes);
                try
                {
                    var used = 0;
                    while (reader.TryPeek(out var frame))
                    {
                        if (frame.Length > BatchBytes - used)
                        {
                            if (used > 0)
                            {
                                break;
                            }
                            reader.TryRead(out _);
                            await stream.WriteAsync(frame, aborted);
                            continue;
                        }
                        reader.TryRead(out _);
                        frame.CopyTo(batch.AsSpan(used));
                        used += frame.Length;
                    }
                    if (used > 0)
                    {
                        await stream.WriteAsync(batch.AsMemory(0, used), aborted);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(batch);
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken aborted)
    {
        byte[]? buffer = null;
        var count = 0;
        try
        {
            while (true)
            {
                if (count == 0)
                {
                    // Idle: wait for data without holding a buffer.
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }
                    _ = await stream.ReadAsync(Memory<byte>.Empty, aborted);
                    buffer = ArrayPool<byte>.Shared.Rent(4096);
                }
                if (count == buffer!.Length)
                {
                    if (buffer.Length >= MaxIncoming)
                    {
                        return;
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(count), aborted);
                if (read == 0)
                {
                    return;
                }
                count += read;
                while (TryParse(buffer.AsSpan(0, count), out var consumed, out var opcode, out var payload))
                {
                    switch (opcode)
                    {
                        case 0x1: // text: echo (the round trip of the raw loop)
                            TrySend(WebSocketFraming.Frame(0x1, payload));
                            break;
                        case 0x8: // close: answer and stop
                            TrySend(WebSocketFraming.Frame(0x8, payload.Length >= 2 ? payload[..2] : []));
                            return;
                        case 0x9: // ping
                            TrySend(WebSocketFraming.Frame(0xA, payload));
                            break;
                    }
                    buffer.AsSpan(consumed, count - consumed).CopyTo(buffer);
                    count -= consumed;
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Parses one complete masked client frame at the start of <paramref name="data"/> and unmasks it in place.</summary>
    private static bool TryParse(Span<byte> data, out int consumed, out int opcode, out Span<byte> payload)
    {
        consumed = 0;
        opcode = 0;
        payload = default;
        if (data.Length < 2)
        {
            return false;
        }
        opcode = data[0] & 0x0F;
        var masked = (data[1] & 0x80) != 0;
        long length = data[1] & 0x7F;
        var offset = 2;
        if (length == 126)
        {
            if (data.Length < 4)
            {
                return false;
            }
            length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            offset = 4;
        }
        else if (length == 127)
        {
            if (data.Length < 10)
            {
                return false;
            }
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
            offset = 10;
        }
        var maskOffset = offset;
        if (masked)
        {
            offset += 4;
        }
        if (length > MaxIncoming || data.Length < offset + length)
        {
            return false;
        }
        payload = data.Slice(offset, (int)length);
        if (masked)
        {
            var mask = data.Slice(maskOffset, 4);
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] ^= mask[i & 3];
            }
        }
        consumed = offset + (int)length;
        return true;
    }
}
