using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// One window's WebSocket, as the JS client would use it. A background loop reads every frame into a list; tests
/// take the frames they expect with <see cref="NextFrameAsync"/> (bounded by a timeout) and prove that something
/// did NOT arrive with <see cref="PingAsync"/>: the pong is sent after anything queued before it, so whatever is
/// still <see cref="Pending"/> after it is all that arrived.
/// </summary>
internal sealed class TestWindow : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Lock _gate = new();
    private readonly List<JsonElement> _pending = [];
    private readonly List<JsonElement> _received = [];
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _paused;
    private long _nextId;
    private long _taken;
    private int _disposed;

    public TestWindow(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>The socket (its state, HTTP details).</summary>
    public ClientWebSocket Socket => _socket;

    /// <summary>The page's window token, once <see cref="HandshakeAsync"/> ran.</summary>
    public string? Token { get; private set; }

    /// <summary>The <c>hello</c> frame, once <see cref="HandshakeAsync"/> ran.</summary>
    public JsonElement Hello { get; private set; }

    /// <summary>The close code the server sent, once the socket is closed (null: closed without a close frame).</summary>
    public int? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    /// <summary>Frames received and not yet taken by <see cref="NextFrameAsync"/>.</summary>
    public IReadOnlyList<JsonElement> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending];
            }
        }
    }

    /// <summary>Every frame received so far.</summary>
    public IReadOnlyList<JsonElement> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The signals of <see cref="Hello"/>.</summary>
    public IReadOnlyList<string> HelloSignals => [.. Hello.GetProperty("signals").EnumerateArray().Select(s => s.GetString()!)];

    /// <summary>
    /// Sends <c>connect</c> with <paramref name="token"/> (and <c>resume</c>, the last positions seen, on a reconnect) and
    /// waits for <c>hello</c>. Frames a resume replays before <c>hello</c> stay <see cref="Pending"/>.
    /// </summary>
    public async Task<JsonElement> HandshakeAsync(string token, IReadOnlyDictionary<string, Pos>? resume = null)
    {
        Token = token;
        var connect = new JsonObject { ["type"] = "connect", ["v"] = 1, ["token"] = token };
        if (resume is not null)
        {
            connect["resume"] = Positions.ToJson(resume);
        }
        await SendTextAsync(connect.ToJsonString());
        Hello = await NextFrameAsync(f => f.Type() == "hello", "hello");
        return Hello;
    }

    public Task SendTextAsync(string text) => SendTextAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends <paramref name="utf8"/> as one text message, as is (the client does not check it is UTF-8).</summary>
    public async Task SendTextAsync(byte[] utf8)
    {
        await _sending.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.Frame);
            await _socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        }
        finally
        {
            _sending.Release();
        }
    }

    public async Task SendBinaryAsync(byte[] bytes)
    {
        await _sending.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TestTimeouts.Frame);
            await _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
        }
        finally
        {
            _sending.Release();
        }
    }

    public Task SendJsonAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    /// <summary>Sends a <c>call</c> frame and returns its id.</summary>
    public async Task<long> SendCallAsync(string signal, object? opts = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var frame = new JsonObject
        {
            ["type"] = "call",
            ["id"] = id,
            ["signal"] = signal,
            ["opts"] = opts is null ? new JsonObject() : JsonSerializer.SerializeToNode(opts),
        };
        await SendTextAsync(frame.ToJsonString());
        return id;
    }

    /// <summary>Calls <paramref name="signal"/> on the server and returns its <c>accepted</c> or <c>refused</c> frame.</summary>
    public async Task<JsonElement> CallAsync(string signal, object? opts = null)
    {
        var id = await SendCallAsync(signal, opts);
        return await NextFrameAsync(f => f.Type() is "accepted" or "refused" && f.Id() == id, $"the answer to call {id} ({signal})");
    }

    /// <summary>Sends <c>ping</c> and waits for <c>pong</c>: everything the server queued before is then received.</summary>
    public async Task PingAsync()
    {
        await SendJsonAsync(new { type = "ping" });
        await NextFrameAsync(f => f.Type() == "pong", "pong");
    }

    /// <summary>Takes the first received frame matching <paramref name="match"/>, waiting for it up to <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> NextFrameAsync(Func<JsonElement, bool> match, string description, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestTimeouts.Frame);
        // Frames already looked at are not looked at again (thousands may be pending), unless another wait took a
        // frame meanwhile and so moved the others.
        var scanned = 0;
        var takenBefore = -1L;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (takenBefore != _taken)
                {
                    (scanned, takenBefore) = (0, _taken);
                }
                var index = _pending.FindIndex(scanned, f => match(f));
                scanned = _pending.Count;
                if (index >= 0)
                {
                    var frame = _pending[index];
                    _pending.RemoveAt(index);
                    _taken++;
                    return frame;
                }
                if (_closed.Task.IsCompleted)
                {
                    throw new InvalidOperationException($"The socket closed ({CloseStatus} {CloseDescription}) while waiting for {description}. {Describe()}");
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {description} within {timeout ?? TestTimeouts.Frame}. {Describe()}");
            }
        }
    }

    /// <summary>Waits for the next <c>signal</c> frame of <paramref name="signal"/>.</summary>
    public Task<JsonElement> NextSignalAsync(string signal) => NextFrameAsync(f => f.IsSignal(signal), $"signal {signal}");

    /// <summary>Waits until the server closed the socket and returns its close code.</summary>
    public async Task<int?> WaitForCloseAsync()
    {
        try
        {
            await _closed.Task.WaitAsync(TestTimeouts.Frame);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The socket is still open after {TestTimeouts.Frame}. {Describe()}");
        }
        return CloseStatus;
    }

    /// <summary>Stops reading after the frame being read: the server's sends pile up in TCP buffers.</summary>
    public void PauseReading()
    {
        lock (_gate)
        {
            _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ResumeReading()
    {
        TaskCompletionSource? paused;
        lock (_gate)
        {
            paused = _paused;
            _paused = null;
        }
        paused?.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        ResumeReading();
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
            await _reading.WaitAsync(TimeSpan.FromSeconds(5));
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

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                Task? paused;
                lock (_gate)
                {
                    paused = _paused?.Task;
                }
                if (paused is not null)
                {
                    await paused;
                }
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = (int?)_socket.CloseStatus;
                    CloseDescription = _socket.CloseStatusDescription;
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        // Answer the close handshake, as a browser does.
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                    }
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                var bytes = message.ToArray();
                message.SetLength(0);
                JsonElement frame;
                try
                {
                    using var document = JsonDocument.Parse(bytes);
                    frame = document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    frame = JsonSerializer.SerializeToElement(new { type = "<not json>", text = Encoding.UTF8.GetString(bytes) });
                }
                Add(frame);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            CloseDescription ??= "connection lost: " + e.Message;
        }
        finally
        {
            _closed.TrySetResult();
            Notify();
        }
    }

    private void Add(JsonElement frame)
    {
        lock (_gate)
        {
            _pending.Add(frame);
            _received.Add(frame);
        }
        Notify();
    }

    private void Notify()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private string Describe()
    {
        lock (_gate)
        {
            var pending = string.Join(", ", _pending.Take(20).Select(f => Shorten(f.GetRawText())));
            return $"State {_socket.State}; {_received.Count} frames received; pending: [{pending}]";
        }
    }

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
