using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// One window of a demo page over a real WebSocket, as df.js would use it (docs/protocol.md): GET the page, read the
/// token from its init element, connect to <c>/switchboard/ws</c>, send <c>connect</c>, wait for <c>hello</c>. A
/// background loop keeps every frame; tests take the ones they expect with a timeout. (The idea of the functional
/// tests' TestWindow, trimmed to what these tests need.)
/// </summary>
internal sealed partial class DemoWindow : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Lock _gate = new();
    private readonly List<JsonElement> _pending = [];
    private readonly List<JsonElement> _received = [];
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;

    private DemoWindow(ClientWebSocket socket, string page)
    {
        _socket = socket;
        Page = page;
        _reading = Task.Run(ReadLoopAsync);
    }

    public static TimeSpan FrameTimeout { get; } = TimeSpan.FromSeconds(15);

    public string Page { get; }

    public bool IsOpen => !_closed.Task.IsCompleted;

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

    /// <summary>
    /// Loads <paramref name="path"/> from <paramref name="node"/> and connects its window there, or to
    /// <paramref name="socketNode"/> (another node behind the same load balancer).
    /// </summary>
    public static async Task<DemoWindow> OpenAsync(Uri node, string path, Uri? socketNode = null)
    {
        var cookies = new CookieContainer();
        string token;
        using (var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }) { Timeout = FrameTimeout })
        {
            var html = await http.GetStringAsync(new Uri(node, path));
            var match = InitElement().Match(html);
            Assert.True(match.Success, "The page has no switchboard-init element: " + html);
            using var init = JsonDocument.Parse(match.Groups["json"].Value);
            token = init.RootElement.GetProperty("token").GetString()!;
            Assert.Equal("/switchboard/ws", init.RootElement.GetProperty("url").GetString());
        }
        var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using (var timeout = new CancellationTokenSource(FrameTimeout))
        {
            await socket.ConnectAsync(new Uri($"ws://{(socketNode ?? node).Authority}/switchboard/ws"), timeout.Token);
        }
        var window = new DemoWindow(socket, new Uri(node, path).ToString());
        await window.SendAsync(new JsonObject { ["type"] = "connect", ["v"] = 1, ["token"] = token });
        await window.NextFrameAsync(f => f.Type() == "hello", "hello");
        return window;
    }

    /// <summary>Sends a call and returns its <c>accepted</c> or <c>refused</c> frame.</summary>
    public async Task<JsonElement> CallAsync(string signal, object? opts = null, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        await SendAsync(new JsonObject
        {
            ["type"] = "call",
            ["id"] = id,
            ["signal"] = signal,
            ["opts"] = opts is null ? new JsonObject() : JsonSerializer.SerializeToNode(opts),
        });
        return await NextFrameAsync(f => f.Type() is "accepted" or "refused" && f.Id() == id, $"the answer to call {id} ({signal})", timeout);
    }

    /// <summary>Takes the first received frame matching <paramref name="match"/>, waiting up to the timeout.</summary>
    public async Task<JsonElement> NextFrameAsync(Func<JsonElement, bool> match, string description, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? FrameTimeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var index = _pending.FindIndex(f => match(f));
                if (index >= 0)
                {
                    var frame = _pending[index];
                    _pending.RemoveAt(index);
                    return frame;
                }
                if (_closed.Task.IsCompleted)
                {
                    throw new InvalidOperationException($"The socket of {Page} closed while waiting for {description}. {Describe()}");
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {description} within {timeout ?? FrameTimeout} on {Page}. {Describe()}");
            }
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds for the frames received so far (checked on every new frame).</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<JsonElement>, bool> done, string description, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (done(_received))
                {
                    return;
                }
                if (_closed.Task.IsCompleted)
                {
                    throw new InvalidOperationException($"The socket of {Page} closed while waiting for {description}. {Describe()}");
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not {description} within {timeout} on {Page}. {Describe()}");
            }
        }
    }

    public Task<JsonElement> NextSignalAsync(string signal, Func<JsonElement, bool>? opts = null, TimeSpan? timeout = null) =>
        NextFrameAsync(f => f.IsSignal(signal) && (opts is null || opts(f.GetProperty("opts"))), "signal " + signal, timeout);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
            await _reading.WaitAsync(TimeSpan.FromSeconds(2));
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

    private async Task SendAsync(JsonObject frame)
    {
        await _sending.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(FrameTimeout);
            await _socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        }
        finally
        {
            _sending.Release();
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
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                using var document = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                lock (_gate)
                {
                    var frame = document.RootElement.Clone();
                    _pending.Add(frame);
                    _received.Add(frame);
                }
                Notify();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or JsonException)
        {
            // Closed or broken: waiting calls see it.
        }
        finally
        {
            _closed.TrySetResult();
            Notify();
        }
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
            var pending = string.Join(", ", _pending.TakeLast(10).Select(f => Shorten(f.GetRawText())));
            return $"State {_socket.State}; {_received.Count} frames received; last pending: [{pending}]";
        }
    }

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";

    [GeneratedRegex("<script type=\"application/json\" id=\"switchboard-init\">(?<json>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InitElement();
}

/// <summary>Reads protocol frames (docs/protocol.md).</summary>
internal static class FrameExtensions
{
    public static string? Type(this JsonElement frame) => frame.Str("type");

    public static string? Str(this JsonElement frame, string property) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static long? Id(this JsonElement frame) =>
        frame.ValueKind == JsonValueKind.Object && frame.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt64() : null;

    public static bool IsSignal(this JsonElement frame, string signal) => frame.Type() == "signal" && frame.Str("signal") == signal;

    public static string? OptsStr(this JsonElement frame, string property) =>
        frame.TryGetProperty("opts", out var opts) ? opts.Str(property) : null;

    public static void AssertAccepted(this JsonElement frame) =>
        Assert.True(frame.Type() == "accepted", "Expected accepted, got " + frame.GetRawText());
}
