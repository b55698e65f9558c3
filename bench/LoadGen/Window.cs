using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace Switchboard.Bench.LoadGen;

/// <summary>The protocol a window speaks.</summary>
public enum Kind
{
    Switchboard,
    SignalR,
    Raw,
}

/// <summary>
/// One client WebSocket. Its receive loop counts benchmark messages (anything with a <c>"t":</c> timestamp) and
/// records their latency, and completes round-trip calls. Parsing is a byte search, not a JSON parse, so the load
/// generator spends as little of the shared CPU as possible, the same for every server.
/// </summary>
public sealed class Window(ClientWebSocket socket, Kind kind, Counters counters)
{
    private const byte RecordSeparator = 0x1e;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private TaskCompletionSource<long>? _pending;
    private long _pendingId;
    private long _nextId;

    public ClientWebSocket Socket => socket;

    public bool Closed { get; private set; }

    public Task? Receiving { get; private set; }

    public void StartReceiving(byte[]? leftover) => Receiving = Task.Run(() => ReceiveLoopAsync(leftover));

    public async Task SendTextAsync(ReadOnlyMemory<byte> text, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(text, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public Task HeartbeatAsync() => kind switch
    {
        Kind.Switchboard => SendTextAsync("{\"type\":\"ping\"}"u8.ToArray(), CancellationToken.None),
        Kind.SignalR => SendTextAsync("{\"type\":6}\u001e"u8.ToArray(), CancellationToken.None),
        _ => Task.CompletedTask,
    };

    /// <summary>One call answered by the server; returns the round-trip time in microseconds.</summary>
    public async Task<double> CallAsync(CancellationToken cancellationToken)
    {
        var id = ++_nextId;
        var tcs = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pendingId, id);
        Volatile.Write(ref _pending, tcs);
        var text = kind switch
        {
            Kind.Switchboard => $"{{\"type\":\"call\",\"id\":{id},\"signal\":\"bench.echo\",\"opts\":{{\"i\":{id}}}}}",
            Kind.SignalR => $"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"Echo\",\"arguments\":[{id}]}}\u001e",
            _ => $"{{\"i\":{id}}}",
        };
        var start = Stopwatch.GetTimestamp();
        if (Trace)
        {
            Console.Error.WriteLine($"trace {GetHashCode():x8} send: {text}");
        }
        await SendTextAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await tcs.Task.WaitAsync(cancellationToken);
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    public void Abort()
    {
        Closed = true;
        socket.Abort();
    }

    private async Task ReceiveLoopAsync(byte[]? leftover)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var count = 0;
        try
        {
            if (leftover is { Length: > 0 })
            {
                Handle(leftover);
            }
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                count += result.Count;
                if (!result.EndOfMessage)
                {
                    if (count == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    continue;
                }
                Handle(buffer.AsSpan(0, count));
                count = 0;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!Closed)
            {
                Closed = true;
                counters.LostConnection(socket.CloseStatus, socket.CloseStatusDescription);
            }
            _pending?.TrySetException(new WebSocketException("connection closed"));
        }
    }

    private void Handle(ReadOnlySpan<byte> message)
    {
        if (kind != Kind.SignalR)
        {
            HandleRecord(message);
            return;
        }
        // SignalR may put several records, each ending with 0x1e, in one WebSocket message.
        while (message.Length > 0)
        {
            var end = message.IndexOf(RecordSeparator);
            if (end < 0)
            {
                HandleRecord(message);
                return;
            }
            HandleRecord(message[..end]);
            message = message[(end + 1)..];
        }
    }

    public bool Trace { get; set; }

    private void HandleRecord(ReadOnlySpan<byte> record)
    {
        if (Trace && record.IndexOf("\"t\":"u8) < 0)
        {
            Console.Error.WriteLine($"trace {GetHashCode():x8}: " + Encoding.UTF8.GetString(record));
        }
        var t = record.IndexOf("\"t\":"u8);
        if (t >= 0 && Utf8Parser.TryParse(record[(t + 4)..], out long timestamp, out _))
        {
            counters.Delivered(timestamp);
            return;
        }
        ReadOnlySpan<byte> idMarker = kind switch
        {
            Kind.SignalR => "\"invocationId\":\""u8,
            _ => "\"i\":"u8,
        };
        if (kind == Kind.Switchboard && record.IndexOf("\"bench.echoed\""u8) < 0)
        {
            return; // hello, accepted, pong...
        }
        if (kind == Kind.SignalR && record.IndexOf("\"type\":3"u8) < 0)
        {
            return; // ping, handshake...
        }
        var i = record.IndexOf(idMarker);
        if (i >= 0 && Utf8Parser.TryParse(record[(i + idMarker.Length)..], out long id, out _) && id == Volatile.Read(ref _pendingId))
        {
            Interlocked.Exchange(ref _pending, null)?.TrySetResult(id);
        }
    }
}
