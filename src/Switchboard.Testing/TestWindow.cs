using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>
/// One window of a Switchboard page over a real WebSocket, speaking docs/protocol.md as df.js does, for tests and
/// tools. Open it from a page URL (<see cref="OpenPageAsync"/>: GET the page, read its init element, connect, wait for
/// <c>hello</c>), from a socket URL and a token (<see cref="ConnectAsync"/>), or without a handshake for protocol
/// tests (<see cref="OpenSocketAsync"/>). A background loop reads every frame: it is kept in <see cref="Received"/>
/// and <see cref="Pending"/>, where tests take the frames they expect (<see cref="NextSignalAsync"/>,
/// <see cref="NextFrameAsync"/>), each wait bounded by a timeout. To prove that something did NOT arrive, call
/// <see cref="PingAsync"/>: the server answers after everything queued before, so <see cref="Pending"/> is then complete.
/// </summary>
public sealed partial class TestWindow : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly TestWindowOptions _options;
    private readonly RawFrameHandler? _onFrame;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private long _nextId;
    private long _lastSent = Stopwatch.GetTimestamp();
    private int _disposed;

    private TestWindow(ClientWebSocket socket, TestWindowOptions options, Uri socketUri)
    {
        _socket = socket;
        _options = options;
        _onFrame = options.OnFrame;
        SocketUri = socketUri;
        _reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>The WebSocket (its state, the upgrade's HTTP status when <c>CollectHttpResponseDetails</c> is on).</summary>
    public ClientWebSocket Socket => _socket;

    /// <summary>The socket URL this window connected to.</summary>
    public Uri SocketUri { get; }

    /// <summary>The window token sent in <c>connect</c>, once sent.</summary>
    public string? Token { get; private set; }

    /// <summary>The last <c>hello</c> frame received; <c>default</c> (<see cref="JsonValueKind.Undefined"/>) before.</summary>
    public JsonElement Hello { get; private set; }

    /// <summary>The signals this window may call on the server (<c>hello.signals</c>); empty before <c>hello</c>.</summary>
    public IReadOnlyList<string> HelloSignals =>
        Hello.ValueKind == JsonValueKind.Object && Hello.TryGetProperty("signals", out var signals) && signals.ValueKind == JsonValueKind.Array
            ? [.. signals.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!)]
            : [];

    /// <summary>The remote functions this window may invoke (<c>hello.functions</c>); empty before <c>hello</c>.</summary>
    public IReadOnlyList<string> HelloFunctions =>
        Hello.ValueKind == JsonValueKind.Object && Hello.TryGetProperty("functions", out var functions) && functions.ValueKind == JsonValueKind.Array
            ? [.. functions.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!)]
            : [];

    /// <summary>
    /// For each topic of <c>hello.pos</c>, the last position this connection saw: <c>hello.pos</c>, advanced by every later
    /// frame's <c>pos</c> entry of that topic that is newer (a higher seq, or another epoch); a <c>topics</c> frame adds the
    /// topics it joins (from the position it gives) and drops those it leaves. What a reconnect resumes from.
    /// </summary>
    public IReadOnlyDictionary<string, Pos> Positions
    {
        get
        {
            var received = Received;
            var hello = received.ToList().FindLastIndex(f => f.Type() == "hello");
            var last = hello < 0 ? new Dictionary<string, Pos>(StringComparer.Ordinal) : new Dictionary<string, Pos>(received[hello].Pos(), StringComparer.Ordinal);
            foreach (var frame in received.Skip(hello + 1))
            {
                if (frame.Type() == "topics")
                {
                    // Server code changed the window's topics: added ids are followed from the position given, removed ones no more.
                    foreach (var (id, p) in frame.PositionsOf("add"))
                    {
                        last.TryAdd(id, p);
                    }
                    if (frame.TryGetProperty("remove", out var removed) && removed.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var id in removed.EnumerateArray())
                        {
                            last.Remove(id.GetString() ?? "");
                        }
                    }
                }
                foreach (var (id, p) in frame.Pos())
                {
                    if (last.TryGetValue(id, out var current) && (current.Epoch != p.Epoch || p.Seq > current.Seq))
                    {
                        last[id] = p;
                    }
                }
            }
            return last;
        }
    }

    /// <summary>Whether the socket still reads (no close frame received, connection not lost or aborted).</summary>
    public bool IsOpen => !_closed.Task.IsCompleted;

    /// <summary>Completes when reading stopped: the server closed the socket, the connection was lost, or it was aborted.</summary>
    public Task Closed => _closed.Task;

    /// <summary>The close code the server sent, once closed (null: closed without a close frame).</summary>
    public int? CloseStatus { get; private set; }

    /// <summary>The close reason the server sent, or what broke the connection.</summary>
    public string? CloseDescription { get; private set; }

    /// <summary>Topic id of a topic string (docs/protocol.md §7): the first 16 hex digits (lower case) of its SHA-1.</summary>
    public static string TopicId(string topic) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(topic)).AsSpan(0, 8));

    /// <summary>Whether a close code tells the client not to reconnect with the same token (docs/protocol.md §5).</summary>
    public static bool IsTerminalClose(int? code) => code is >= 4000 and < 4100 and not 4008;

    /// <summary>GETs the page, reads its init element, connects its socket and waits for <c>hello</c>.</summary>
    public static async Task<TestWindow> OpenPageAsync(Uri pageUrl, TestWindowOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TestWindowOptions();
        var page = await PageInit.LoadAsync(pageUrl, options, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(page.SocketUri, page.Token, options, resume: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Connects to <paramref name="socketUri"/>, sends <c>connect</c> with <paramref name="token"/> (and
    /// <paramref name="resume"/>, on a reconnect) and waits for <c>hello</c>. Frames replayed before it stay <see cref="Pending"/>.
    /// </summary>
    public static async Task<TestWindow> ConnectAsync(Uri socketUri, string token, TestWindowOptions? options = null,
        IReadOnlyDictionary<string, Pos>? resume = null, CancellationToken cancellationToken = default)
    {
        var window = await OpenSocketAsync(socketUri, options, cancellationToken).ConfigureAwait(false);
        try
        {
            await window.HandshakeAsync(token, resume, cancellationToken).ConfigureAwait(false);
            return window;
        }
        catch
        {
            await window.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens the WebSocket and starts reading, without sending <c>connect</c> (for protocol tests).</summary>
    /// <exception cref="WebSocketException">The upgrade failed (e.g. HTTP 403 for a foreign Origin).</exception>
    public static async Task<TestWindow> OpenSocketAsync(Uri socketUri, TestWindowOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socketUri);
        options ??= new TestWindowOptions();
        var socket = options.CreateSocket();
        var connectUri = options.WithAccessToken(socketUri);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            if (options.Handler is { } handler)
            {
                using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
                await socket.ConnectAsync(connectUri, invoker, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(connectUri, timeout.Token).ConfigureAwait(false);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new TestWindow(socket, options, socketUri);
    }

    /// <summary>
    /// Opens a new connection of the same window (same token) to <paramref name="socketUri"/> (default: the same URL),
    /// resuming from <see cref="Positions"/>: the server replays what this connection missed before <c>hello</c>.
    /// This window is left as it is (abort it first to simulate a cut).
    /// </summary>
    public Task<TestWindow> ReconnectAsync(Uri? socketUri = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(socketUri ?? SocketUri,
            Token ?? throw new InvalidOperationException("No connect was sent on this window: no token to reconnect with."),
            _options, Positions, cancellationToken);

    /// <summary>Sends <c>connect</c> (with <c>resume</c> positions on a reconnect) without waiting for <c>hello</c>.</summary>
    public Task SendConnectAsync(string token, IReadOnlyDictionary<string, Pos>? resume = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        Token = token;
        return SendTextAsync(Write(w =>
        {
            w.WriteString("type", "connect");
            w.WriteNumber("v", 1);
            w.WriteString("token", token);
            if (resume is not null)
            {
                w.WritePropertyName("resume");
                WritePositions(w, resume);
            }
        }), cancellationToken);
    }

    /// <summary>Sends <c>connect</c> and waits for <c>hello</c>, which it returns (and takes from <see cref="Pending"/>).</summary>
    public async Task<JsonElement> HandshakeAsync(string token, IReadOnlyDictionary<string, Pos>? resume = null, CancellationToken cancellationToken = default)
    {
        await SendConnectAsync(token, resume, cancellationToken).ConfigureAwait(false);
        return await NextFrameAsync(f => f.Type() == "hello", "hello").ConfigureAwait(false);
    }

    /// <summary>Sends a <c>call</c> of <paramref name="signal"/> with <paramref name="kwargs"/> (serialized as JSON) and returns its id.</summary>
    public Task<long> SendCallAsync(string signal, object? kwargs = null, CancellationToken cancellationToken = default) =>
        SendCallOrInvokeAsync("call", signal, kwargs, cancellationToken);

    /// <summary>
    /// Sends an <c>invoke</c> of the remote function <paramref name="function"/> with <paramref name="kwargs"/> (serialized as
    /// JSON) and returns its id (from the counter of calls); its <c>result</c> frame carries that id.
    /// </summary>
    public Task<long> SendInvokeAsync(string function, object? kwargs = null, CancellationToken cancellationToken = default) =>
        SendCallOrInvokeAsync("invoke", function, kwargs, cancellationToken);

    /// <summary>
    /// Invokes the remote function <paramref name="function"/> (docs/functions.md) and waits for its <c>result</c>: returns
    /// its <c>value</c> (<see cref="JsonValueKind.Null"/> when the function returns nothing or null).
    /// </summary>
    /// <exception cref="InvokeException">The result is an error (refused at dispatch, or the function failed): its code and message.</exception>
    /// <exception cref="TimeoutException">No result within the timeout.</exception>
    public async Task<JsonElement> InvokeAsync(string function, object? kwargs = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var id = await SendInvokeAsync(function, kwargs, cancellationToken).ConfigureAwait(false);
        var result = await NextFrameAsync(f => f.IsResult(id), $"the result of invoke {id} ({function})", timeout).ConfigureAwait(false);
        if (result.TryGetProperty("error", out var error))
        {
            throw new InvokeException(function, id, error.Str("code") ?? "", error.Str("message") ?? "", result);
        }
        return result.TryGetProperty("value", out var value) ? value : NullValue;
    }

    private async Task<long> SendCallOrInvokeAsync(string type, string signal, object? kwargs, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        await SendTextAsync(Write(w =>
        {
            w.WriteString("type", type);
            w.WriteNumber("id", id);
            w.WriteString("signal", signal);
            w.WritePropertyName("opts");
            if (kwargs is null)
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
            else
            {
                JsonSerializer.Serialize(w, kwargs, kwargs.GetType());
            }
        }), cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>Calls <paramref name="signal"/> on the server and waits for its answer, <c>accepted</c> or <c>refused</c>.</summary>
    /// <exception cref="TimeoutException">No answer within the timeout.</exception>
    public async Task<CallResult> CallAsync(string signal, object? kwargs = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var id = await SendCallAsync(signal, kwargs, cancellationToken).ConfigureAwait(false);
        var answer = await NextFrameAsync(f => f.Type() is "accepted" or "refused" && f.Id() == id, $"the answer to call {id} ({signal})", timeout)
            .ConfigureAwait(false);
        return new CallResult(id, answer);
    }

    /// <summary>Sends <c>resume</c> (a gap seen on a live connection: replay what follows these positions); returns its id.</summary>
    public async Task<long> SendResumeAsync(IReadOnlyDictionary<string, Pos> positions, long? id = null, CancellationToken cancellationToken = default)
    {
        var rid = id ?? Interlocked.Increment(ref _nextId);
        await SendTextAsync(Write(w =>
        {
            w.WriteString("type", "resume");
            w.WriteNumber("id", rid);
            w.WritePropertyName("pos");
            WritePositions(w, positions);
        }), cancellationToken).ConfigureAwait(false);
        return rid;
    }

    /// <summary>Sends <c>resume</c> and waits for its <c>resumed</c> frame (the replayed frames come before it); returns it.</summary>
    public async Task<JsonElement> ResumeAsync(IReadOnlyDictionary<string, Pos> positions, long? id = null, TimeSpan? timeout = null)
    {
        var rid = await SendResumeAsync(positions, id).ConfigureAwait(false);
        return await NextFrameAsync(f => f.Type() == "resumed" && f.Id() == rid, $"resumed {rid}", timeout).ConfigureAwait(false);
    }

    /// <summary>Sends <c>ping</c> without waiting for <c>pong</c>.</summary>
    public Task SendPingAsync(CancellationToken cancellationToken = default) => SendTextAsync(PingFrame, cancellationToken);

    /// <summary>Sends <c>ping</c> and waits for <c>pong</c>: everything the server queued before is then received.</summary>
    public async Task PingAsync(TimeSpan? timeout = null)
    {
        await SendPingAsync().ConfigureAwait(false);
        await NextFrameAsync(f => f.Type() == "pong", "pong", timeout).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="text"/> as one text message, as is.</summary>
    public Task SendTextAsync(string text, CancellationToken cancellationToken = default) =>
        SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Sends <paramref name="utf8"/> as one text message, as is (not checked to be UTF-8 or JSON).</summary>
    public Task SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken = default) =>
        SendAsync(utf8, WebSocketMessageType.Text, cancellationToken);

    /// <summary>Sends a binary message (the server closes with 4009: binary frames are refused).</summary>
    public Task SendBinaryAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        SendAsync(bytes, WebSocketMessageType.Binary, cancellationToken);

    /// <summary>Sends <paramref name="frame"/> serialized as JSON, e.g. <c>new { type = "ping" }</c>.</summary>
    public Task SendJsonAsync(object frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return SendTextAsync(JsonSerializer.SerializeToUtf8Bytes(frame, frame.GetType()), cancellationToken);
    }

    /// <summary>Cuts the connection at once, without a close frame (a network failure, a killed tab).</summary>
    public void Abort() => _socket.Abort();

    /// <summary>Closes the socket as a leaving page does (1000 by default) and waits for the server's close.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? description = null)
    {
        using (var timeout = new CancellationTokenSource(_options.Timeout))
        {
            await _socket.CloseOutputAsync(status, description, timeout.Token).ConfigureAwait(false);
        }
        await WaitForCloseAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the socket (normal close, or abort when the server does not answer) and stops reading.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        ResumeReading();
        StopHeartbeat();
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token).ConfigureAwait(false);
            }
            await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            _socket.Abort();
        }
        finally
        {
            _socket.Dispose();
            _sending.Dispose();
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        await _sending.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(data, type, endOfMessage: true, timeout.Token).ConfigureAwait(false);
            Volatile.Write(ref _lastSent, Stopwatch.GetTimestamp());
        }
        finally
        {
            _sending.Release();
        }
    }

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    private static void WritePositions(Utf8JsonWriter writer, IReadOnlyDictionary<string, Pos> positions)
    {
        writer.WriteStartObject();
        foreach (var (id, p) in positions)
        {
            writer.WriteStartArray(id);
            writer.WriteNumberValue(p.Seq);
            writer.WriteStringValue(p.Epoch);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static readonly byte[] PingFrame = "{\"type\":\"ping\"}"u8.ToArray();

    private static readonly JsonElement NullValue = JsonDocument.Parse("null").RootElement;
}
