using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Switchboard.Testing;

namespace Switchboard.Bench.LoadGen;

/// <summary>
/// The bench's side of one window. The socket is a <see cref="TestWindow"/> of Switchboard.Testing (the one C# client of
/// the protocol; for SignalR and the raw loop only its transport); this class sees every message on the window's
/// receive loop (<see cref="TestWindowOptions.OnFrame"/>) and consumes it: it counts benchmark messages (anything with a
/// <c>"t":</c> timestamp), records their latency, and completes round-trip calls. Parsing is a byte search, not a JSON
/// parse, and nothing is kept, so the load generator spends as little of the shared CPU as possible, the same for every
/// server. Only Switchboard's <c>hello</c> is left to the client, whose handshake waits for it.
/// </summary>
public sealed class BenchWindow
{
    private const byte RecordSeparator = 0x1e;
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(30);
    private readonly Kind _kind;
    private readonly Counters _counters;
    private readonly TaskCompletionSource<string?> _signalRHandshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestWindow? _window;
    private TaskCompletionSource<long>? _pending;
    private long _pendingId;
    private long _nextId;

    private BenchWindow(Kind kind, Counters counters, bool trace)
    {
        _kind = kind;
        _counters = counters;
        Trace = trace;
    }

    public TestWindow Window => _window ?? throw new InvalidOperationException("not open");

    public bool Closed { get; private set; }

    /// <summary>Completes once the window stopped reading and its loss was counted.</summary>
    public Task Receiving { get; private set; } = Task.CompletedTask;

    public bool Trace { get; }

    /// <summary>
    /// Opens a window of <paramref name="kind"/> on <paramref name="server"/>: for Switchboard, a page (<c>/w</c>) whose
    /// init element gives the socket and token, then connect and hello; for SignalR, the JSON hub handshake; for the raw
    /// loop, just the socket.
    /// </summary>
    public static async Task<BenchWindow> OpenAsync(Kind kind, Uri server, HttpMessageHandler handler, Counters counters, bool trace)
    {
        var bench = new BenchWindow(kind, counters, trace);
        var options = new TestWindowOptions { Handler = handler, Timeout = OpenTimeout, OnFrame = bench.OnFrame };
        switch (kind)
        {
            case Kind.Switchboard:
                bench._window = await TestWindow.OpenPageAsync(new Uri(server, "/w"), options);
                break;
            case Kind.SignalR:
                // WebSockets transport without negotiation, JSON hub protocol: handshake, then the {} answer.
                bench._window = await TestWindow.OpenSocketAsync(SocketUri(server, "/hub"), options);
                try
                {
                    await bench._window.SendTextAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray());
                    if (await bench._signalRHandshake.Task.WaitAsync(OpenTimeout) is { } error)
                    {
                        throw new InvalidOperationException("SignalR handshake failed: " + error);
                    }
                }
                catch
                {
                    await bench._window.DisposeAsync();
                    throw;
                }
                break;
            default:
                bench._window = await TestWindow.OpenSocketAsync(SocketUri(server, "/ws"), options);
                break;
        }
        bench.Receiving = bench.ObserveCloseAsync();
        return bench;
    }

    public Task HeartbeatAsync() => _kind switch
    {
        Kind.Switchboard => Window.SendPingAsync(),
        Kind.SignalR => Window.SendTextAsync("{\"type\":6}\u001e"u8.ToArray()),
        _ => Task.CompletedTask,
    };

    /// <summary>
    /// One call answered by the server; returns the round-trip time in microseconds. With <paramref name="invoke"/>, a
    /// Switchboard window invokes the remote function <c>bench.echo.fn</c> and the round trip ends at its <c>result</c>
    /// (SignalR's round trip is an invoke either way; the raw loop has none).
    /// </summary>
    public async Task<double> CallAsync(CancellationToken cancellationToken, bool invoke = false)
    {
        var id = ++_nextId;
        var tcs = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pendingId, id);
        Volatile.Write(ref _pending, tcs);
        var start = Stopwatch.GetTimestamp();
        if (_kind == Kind.Switchboard)
        {
            // bench.echo sends bench.echoed {i} back to the calling window: the round trip ends there, not at accepted.
            if (Trace)
            {
                Console.Error.WriteLine($"trace {GetHashCode():x8} call bench.echo {{\"i\":{id}}}");
            }
            if (invoke)
            {
                await Window.SendInvokeAsync("bench.echo.fn", new { i = id }, cancellationToken);
            }
            else
            {
                await Window.SendCallAsync("bench.echo", new { i = id }, cancellationToken);
            }
        }
        else
        {
            var text = _kind == Kind.SignalR
                ? $"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"Echo\",\"arguments\":[{id}]}}\u001e"
                : $"{{\"i\":{id}}}";
            if (Trace)
            {
                Console.Error.WriteLine($"trace {GetHashCode():x8} send: {text}");
            }
            await Window.SendTextAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        }
        await tcs.Task.WaitAsync(cancellationToken);
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    public void Abort()
    {
        Closed = true;
        _window?.Abort();
    }

    private async Task ObserveCloseAsync()
    {
        await Window.Closed;
        if (!Closed)
        {
            Closed = true;
            _counters.LostConnection((WebSocketCloseStatus?)Window.CloseStatus, Window.CloseDescription);
        }
        _pending?.TrySetException(new WebSocketException("connection closed"));
    }

    /// <summary>The window's receive loop hands every message here first; true = consumed (not parsed, not kept).</summary>
    private bool OnFrame(ReadOnlySpan<byte> message)
    {
        if (_kind != Kind.SignalR)
        {
            return HandleRecord(message);
        }
        // SignalR may put several records, each ending with 0x1e, in one WebSocket message.
        while (message.Length > 0)
        {
            var end = message.IndexOf(RecordSeparator);
            if (end < 0)
            {
                HandleRecord(message);
                break;
            }
            HandleRecord(message[..end]);
            message = message[(end + 1)..];
        }
        return true;
    }

    private bool HandleRecord(ReadOnlySpan<byte> record)
    {
        if (Trace && record.IndexOf("\"t\":"u8) < 0)
        {
            Console.Error.WriteLine($"trace {GetHashCode():x8}: " + Encoding.UTF8.GetString(record));
        }
        var t = record.IndexOf("\"t\":"u8);
        if (t >= 0 && Utf8Parser.TryParse(record[(t + 4)..], out long timestamp, out _))
        {
            _counters.Delivered(timestamp);
            return true;
        }
        if (_kind == Kind.SignalR && !_signalRHandshake.Task.IsCompleted)
        {
            // The first record answers the handshake: {} or {"error": "..."}.
            _signalRHandshake.TrySetResult(record.IndexOf("error"u8) < 0 ? null : Encoding.UTF8.GetString(record));
            return true;
        }
        var result = _kind == Kind.Switchboard && record.StartsWith("{\"type\":\"result\""u8);
        ReadOnlySpan<byte> idMarker = _kind switch
        {
            Kind.SignalR => "\"invocationId\":\""u8,
            _ when result => "\"value\":"u8, // bench.echo.fn returns the number it was given
            _ => "\"i\":"u8,
        };
        if (_kind == Kind.Switchboard && !result && record.IndexOf("\"bench.echoed\""u8) < 0)
        {
            // hello goes to the client's handshake; accepted, pong... are dropped.
            return record.IndexOf("\"type\":\"hello\""u8) < 0;
        }
        if (_kind == Kind.SignalR && record.IndexOf("\"type\":3"u8) < 0)
        {
            return true; // ping...
        }
        var i = record.IndexOf(idMarker);
        if (i >= 0 && Utf8Parser.TryParse(record[(i + idMarker.Length)..], out long id, out _) && id == Volatile.Read(ref _pendingId))
        {
            Interlocked.Exchange(ref _pending, null)?.TrySetResult(id);
        }
        return true;
    }

    private static Uri SocketUri(Uri server, string path) => new UriBuilder(new Uri(server, path)) { Scheme = "ws" }.Uri;
}
