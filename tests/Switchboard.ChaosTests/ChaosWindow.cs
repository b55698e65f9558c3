using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Switchboard.ChaosTests;

/// <summary>The web nodes windows may connect to: slot 0 (A, later A'), slot 1 (B). Null while the slot's node is down.</summary>
internal sealed class NodeDirectory
{
    private readonly Uri?[] _nodes = new Uri?[2];

    public Uri? this[int slot]
    {
        get => Volatile.Read(ref _nodes[slot]);
        set => Volatile.Write(ref _nodes[slot], value);
    }
}

/// <summary>Where a window goes when its node is down: waits for its slot's node to come back, or switches to the other.</summary>
internal enum ReconnectPolicy
{
    WaitForSameSlot,
    SwitchWhenDown,
}

/// <summary>How a message reached the page: live, replayed before <c>hello</c> (connect.resume), or replayed after a <c>resume</c>.</summary>
internal enum Via
{
    Live,
    ConnectReplay,
    ResumeReplay,
    Unsequenced,
}

/// <summary>One <c>demo.chat.message</c> run by the window (handed to the page by the §7 ordering), with its position in the room topic.</summary>
internal sealed record RunRecord(string Batch, int N, long Seq, string? Epoch, string? SignalId, Via Via, int Connection);

/// <summary>
/// The window gave up on part of the room topic (§7: <c>recovered</c> false, a resume timeout, a gap in a reconnect's
/// replay): it continued from <c>To</c> after <c>From</c>; the messages in between are reported lost.
/// </summary>
internal sealed record LossReport(string Reason, long FromSeq, string FromEpoch, long ToSeq, string ToEpoch);

/// <summary>One accepted handshake.</summary>
internal sealed record HelloRecord(int Connection, Uri Node, bool? Recovered, long Seq, string Epoch, int ReplayedBeforeHello);

/// <summary>
/// One window of the demo's <c>/chat/lobby</c> page over a real <see cref="ClientWebSocket"/>, implementing the client side
/// of docs/protocol.md §6–7 as <c>clients/js/src/df-ordering.js</c> does (createOrdering): per topic id the last [seq, epoch] (from
/// <c>hello.pos</c>, then each <c>signal.pos</c>); frames behind a gap are held and a <c>resume</c> is sent; held frames
/// run in order, duplicates dropped; <c>recovered</c> false (or no <c>resumed</c> within 10 s) accepts the jump; on
/// reconnect (same token, to the same or the other node) the positions go in <c>connect.resume</c>.
/// It records every <c>demo.chat.message</c> it runs, and every loss it was told about, for the test to check.
/// One loop task owns the socket and the ordering state; the test reads the records through snapshots.
/// </summary>
internal sealed partial class ChaosWindow : IAsyncDisposable
{
    public const string ChatSignal = "demo.chat.message";
    public const string ReloadReason = "room topic gone from hello.pos (recovered false): page reloaded";
    private const int MaxHeldFrames = 1000;
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly NodeDirectory _nodes;
    private readonly string _path;
    private readonly CookieContainer _cookies;
    private string _token;
    private bool _reloadRequested;
    private (long Seq, string Epoch)? _reloadedFrom;
    private readonly Channel<Event> _events = Channel.CreateUnbounded<Event>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random;
    private Task _loop = Task.CompletedTask;

    // Ordering state (§7), touched by the loop only.
    private Dictionary<string, TopicState> _positions = new(StringComparer.Ordinal);
    private List<Incoming> _held = [];
    private readonly Dictionary<string, (long Rid, long Seq, string Epoch)> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long> _resumeDeadlines = [];
    private readonly HashSet<string> _jumped = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _maxArrived = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _outgoing = [];
    private bool _live;
    private bool _helloSeen;
    private long _nextId;
    private int _replayedBeforeHello;

    // Records, read by the test under _gate.
    private readonly Lock _gate = new();
    private readonly List<RunRecord> _runs = [];
    private readonly List<LossReport> _losses = [];
    private readonly List<HelloRecord> _hellos = [];
    private readonly List<string> _closes = [];
    private readonly List<string> _emptyEpochs = [];
    private ClientWebSocket? _socket;
    private int _connection;
    private int _slot;

    private ChaosWindow(int index, NodeDirectory nodes, int slot, ReconnectPolicy policy, string path, string token, CookieContainer cookies, string lobbyId)
    {
        _path = path;
        Index = index;
        _nodes = nodes;
        _slot = slot;
        Policy = policy;
        _token = token;
        _cookies = cookies;
        LobbyId = lobbyId;
        _random = new Random(1000 + index);
    }

    public int Index { get; }

    public ReconnectPolicy Policy { get; set; }

    /// <summary>The topic id (§7) of the room topic the window checks.</summary>
    public string LobbyId { get; }

    /// <summary>The node slot the window connects to (now, or next time).</summary>
    public int Slot
    {
        get
        {
            lock (_gate)
            {
                return _slot;
            }
        }
    }

    /// <summary>Set when the window met a terminal close code or another fault it cannot get over.</summary>
    public string? Fatal { get; private set; }

    public int Cuts { get; private set; }

    public int ConnectFailures { get; private set; }

    public int HelloTimeouts { get; private set; }

    /// <summary>Frames the ordering dropped because every tracked topic had seen them (replay overlapping live traffic).</summary>
    public int DroppedSeen { get; private set; }

    public int ResumesSent { get; private set; }

    public int ResumedFalse { get; private set; }

    public int ResumeTimeouts { get; private set; }

    /// <summary>Handshakes whose hello said <c>recovered: false</c>.</summary>
    public int HelloNotRecovered { get; private set; }

    public int ErrorFrames { get; private set; }

    public bool IsLive => Volatile.Read(ref _liveFlag) == 1;

    private int _liveFlag;

    public IReadOnlyList<RunRecord> Runs
    {
        get
        {
            lock (_gate)
            {
                return [.. _runs];
            }
        }
    }

    public IReadOnlyList<LossReport> Losses
    {
        get
        {
            lock (_gate)
            {
                return [.. _losses];
            }
        }
    }

    public IReadOnlyList<HelloRecord> Hellos
    {
        get
        {
            lock (_gate)
            {
                return [.. _hellos];
            }
        }
    }

    /// <summary>Positions of hello.pos with an empty epoch (topic id, position, which hello).</summary>
    public IReadOnlyList<string> EmptyEpochs
    {
        get
        {
            lock (_gate)
            {
                return [.. _emptyEpochs];
            }
        }
    }

    public IReadOnlyList<string> Closes
    {
        get
        {
            lock (_gate)
            {
                return [.. _closes];
            }
        }
    }

    public int HelloCount
    {
        get
        {
            lock (_gate)
            {
                return _hellos.Count;
            }
        }
    }

    /// <summary>Topic id of a topic key (§7: the first 16 hex digits of SHA-1).</summary>
    public static string TopicId(string topic) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(topic))[..8]);

    /// <summary>GETs the page from the slot's node, takes its token, and connects; returns after the first hello.</summary>
    public static async Task<ChaosWindow> OpenAsync(int index, NodeDirectory nodes, int slot, string path, string topic, ReconnectPolicy policy)
    {
        var node = nodes[slot] ?? throw new InvalidOperationException($"node slot {slot} is down");
        var cookies = new CookieContainer();
        var token = await LoadPageAsync(node, path, cookies);
        var window = new ChaosWindow(index, nodes, slot, policy, path, token, cookies, TopicId(topic));
        window._loop = Task.Run(window.RunAsync);
        await window.WaitUntilAsync(w => w.HelloCount >= 1, "its first hello", TimeSpan.FromSeconds(20));
        Assert.True(window.Hellos[0].Seq >= 0, $"hello.pos has no position for the room topic {window.LobbyId}");
        return window;
    }

    /// <summary>GETs the page and returns its window token (docs/protocol.md §1: the init element).</summary>
    private static async Task<string> LoadPageAsync(Uri node, string path, CookieContainer cookies)
    {
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }) { Timeout = TimeSpan.FromSeconds(15) };
        var html = await http.GetStringAsync(new Uri(node, path));
        var match = InitElement().Match(html);
        Assert.True(match.Success, "The page has no switchboard-init element: " + html);
        using var init = JsonDocument.Parse(match.Groups["json"].Value);
        return init.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>
    /// Cuts the connection abruptly (no close frame); the window reconnects — to the other node if asked — after
    /// <paramref name="offline"/> (plus its backoff).
    /// </summary>
    public void Cut(bool toOtherNode, TimeSpan offline = default)
    {
        lock (_gate)
        {
            if (toOtherNode)
            {
                _slot = 1 - _slot;
            }
            _offlineUntil = Stopwatch.GetTimestamp() + (long)(offline.TotalSeconds * Stopwatch.Frequency);
            Cuts++;
            _socket?.Abort();
        }
    }

    private long _offlineUntil;

    public async Task WaitUntilAsync(Func<ChaosWindow, bool> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition(this))
        {
            if (Fatal is not null)
            {
                throw new InvalidOperationException($"window {Index}: {Fatal} (while waiting for {what})");
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"window {Index}: not {what} within {timeout}. {Describe()}");
            }
            await Task.Delay(25);
        }
    }

    public string Describe()
    {
        lock (_gate)
        {
            var last = _runs.Count > 0 ? _runs[^1] : null;
            return $"slot {_slot}, live {IsLive}, hellos {_hellos.Count}, runs {_runs.Count} (last {last?.Batch}-{last?.N} at [{last?.Seq}, {last?.Epoch}]), " +
                   $"held {Volatile.Read(ref _heldCount)}, resumes {ResumesSent}, connect failures {ConnectFailures}, hello timeouts {HelloTimeouts}, " +
                   $"error frames {ErrorFrames}, closes [{string.Join(", ", _closes)}], fatal {Fatal}";
        }
    }

    private int _heldCount;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_gate)
        {
            _socket?.Abort();
        }
        if (_loop.IsCompleted)
        {
            _stop.Dispose();
        }
    }

    // ------------------------------------------------------------------ connection loop

    private async Task RunAsync()
    {
        try
        {
            await ConnectLoopAsync();
        }
        catch (Exception e)
        {
            // A bug of this client (or a page without its init element on reload): make the test say so.
            Fatal = "the window's loop failed: " + e;
        }
    }

    private async Task ConnectLoopAsync()
    {
        var attempt = 0;
        while (!_stop.IsCancellationRequested && Fatal is null)
        {
            var node = PickNode();
            if (node is null)
            {
                await DelayAsync(TimeSpan.FromMilliseconds(100));
                continue;
            }
            var socket = new ClientWebSocket();
            socket.Options.Cookies = _cookies;
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await socket.ConnectAsync(new Uri($"ws://{node.Authority}/switchboard/ws"), timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
            {
                socket.Dispose();
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
                ConnectFailures++;
                if (Policy == ReconnectPolicy.SwitchWhenDown)
                {
                    lock (_gate)
                    {
                        _slot = 1 - _slot;
                    }
                }
                await BackoffAsync(attempt++);
                continue;
            }
            int id;
            lock (_gate)
            {
                id = ++_connection;
                _socket = socket;
            }
            var reading = Task.Run(() => ReadAsync(socket, id));
            try
            {
                if (await SessionAsync(socket, id, node))
                {
                    attempt = 0;
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // The socket broke while sending: reconnect.
            }
            finally
            {
                socket.Abort();
                await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                socket.Dispose();
                Disconnected();
            }
            if (_reloadRequested && !_stop.IsCancellationRequested)
            {
                await ReloadAsync(node);
                continue;
            }
            if (!_stop.IsCancellationRequested)
            {
                await BackoffAsync(attempt++);
            }
        }
    }

    /// <summary>
    /// What a page does when <c>df.resync</c> tells it that it lost messages it cannot get back and its room topic is
    /// gone (<c>df.connect('df.resync', () => location.reload())</c>, docs/delivery.md): load the page again — a new
    /// window, with a new token and the page's topics — and start over from the new hello's positions.
    /// </summary>
    private async Task ReloadAsync(Uri node)
    {
        try
        {
            _token = await LoadPageAsync(node, _path, _cookies);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await BackoffAsync(1);
            return; // try again with the next connection
        }
        _reloadRequested = false;
        _positions = new Dictionary<string, TopicState>(StringComparer.Ordinal);
        _helloSeen = false;
        Reloads++;
    }

    /// <summary>Page reloads (the room topic was gone from hello.pos after recovered false).</summary>
    public int Reloads { get; private set; }

    private Uri? PickNode()
    {
        lock (_gate)
        {
            if (Stopwatch.GetTimestamp() < _offlineUntil)
            {
                return null;
            }
            var node = _nodes[_slot];
            if (node is null && Policy == ReconnectPolicy.SwitchWhenDown)
            {
                _slot = 1 - _slot;
                node = _nodes[_slot];
            }
            return node;
        }
    }

    /// <summary>Full-jitter exponential backoff (§6), scaled down for a test: base 100 ms, max 1 s.</summary>
    private Task BackoffAsync(int attempt) =>
        DelayAsync(TimeSpan.FromMilliseconds(_random.Next(20, (int)Math.Min(1000, 100 * Math.Pow(2, Math.Min(attempt, 10))))));

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>One connection: connect frame, then frames until the socket ends. True when hello came.</summary>
    private async Task<bool> SessionAsync(ClientWebSocket socket, int id, Uri node)
    {
        _live = false;
        _replayedBeforeHello = 0;
        _maxArrived.Clear();
        var connect = new JsonObject { ["type"] = "connect", ["v"] = 1, ["token"] = _token };
        if (_helloSeen && _positions.Count > 0)
        {
            var resume = new JsonObject();
            foreach (var (topicId, p) in _positions)
            {
                resume[topicId] = new JsonArray(p.Seq, p.Epoch);
            }
            connect["resume"] = resume;
        }
        await SendAsync(socket, connect);
        var started = Stopwatch.StartNew();
        var lastSent = Stopwatch.StartNew();
        while (true)
        {
            Event ev;
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                tick.CancelAfter(Tick);
                try
                {
                    ev = await _events.Reader.ReadAsync(tick.Token);
                }
                catch (OperationCanceledException)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        await CloseQuietlyAsync(socket);
                        return _live;
                    }
                    if (!_live && started.Elapsed > HelloTimeout)
                    {
                        HelloTimeouts++;
                        return false;
                    }
                    CheckResumeTimeouts();
                    if (_live && lastSent.Elapsed > PingInterval)
                    {
                        _outgoing.Add(new JsonObject { ["type"] = "ping" });
                    }
                    if (await FlushAsync(socket))
                    {
                        lastSent.Restart();
                    }
                    continue;
                }
            }
            if (ev.Connection != id)
            {
                continue;
            }
            if (ev.Frame is not { } frame)
            {
                return _live;
            }
            Handle(frame, node, id);
            if (_reloadRequested)
            {
                await CloseQuietlyAsync(socket);
                return true;
            }
            CheckResumeTimeouts();
            if (await FlushAsync(socket))
            {
                lastSent.Restart();
            }
        }
    }

    private async Task<bool> FlushAsync(ClientWebSocket socket)
    {
        if (_outgoing.Count == 0)
        {
            return false;
        }
        var frames = _outgoing.ToArray();
        _outgoing.Clear();
        foreach (var frame in frames)
        {
            await SendAsync(socket, frame);
        }
        return true;
    }

    private static async Task SendAsync(ClientWebSocket socket, JsonObject frame)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Gone already.
        }
    }

    private async Task ReadAsync(ClientWebSocket socket, int id)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var code = (int?)result.CloseStatus;
                    lock (_gate)
                    {
                        _closes.Add($"{code} {result.CloseStatusDescription}");
                    }
                    // §5: 4000–4099 are terminal except 4008.
                    if (code is >= 4000 and < 4100 and not 4008)
                    {
                        Fatal = $"terminal close {code} ({result.CloseStatusDescription})";
                    }
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                using var document = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                _events.Writer.TryWrite(new Event(id, document.RootElement.Clone()));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or JsonException or IOException)
        {
            // Cut, or the node died: the loop reconnects.
        }
        finally
        {
            _events.Writer.TryWrite(new Event(id, null));
        }
    }

    // ------------------------------------------------------------------ frames

    private void Handle(JsonElement frame, Uri node, int connection)
    {
        switch (Str(frame, "type"))
        {
            case "hello":
                OnHello(frame, node, connection);
                break;
            case "signal":
                Receive(new Incoming(frame, Entries(frame), !_live, connection), connection);
                break;
            case "error":
                ErrorFrames++;
                if (frame.TryGetProperty("pos", out _))
                {
                    Receive(new Incoming(frame, Entries(frame), !_live, connection), connection);
                }
                break;
            case "resumed":
                if (_live && frame.TryGetProperty("id", out var rid) && rid.ValueKind == JsonValueKind.Number)
                {
                    var recovered = frame.TryGetProperty("recovered", out var r) && r.ValueKind == JsonValueKind.True;
                    if (!recovered)
                    {
                        ResumedFalse++;
                    }
                    Resumed(rid.GetInt64(), recovered, recovered ? "resumed true, nothing replayed" : "resumed false");
                }
                break;
        }
        Volatile.Write(ref _heldCount, _held.Count);
    }

    private void OnHello(JsonElement frame, Uri node, int connection)
    {
        bool? recovered = frame.TryGetProperty("recovered", out var r) && r.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? r.ValueKind == JsonValueKind.True
            : null;
        if (recovered == false)
        {
            HelloNotRecovered++;
        }
        var before = _positions;
        var changed = new HashSet<string>(_jumped, StringComparer.Ordinal);
        _positions = new Dictionary<string, TopicState>(StringComparer.Ordinal);
        if (frame.TryGetProperty("pos", out var pos) && pos.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in pos.EnumerateObject())
            {
                if (!TryPosition(property.Value, out var seq, out var epoch))
                {
                    continue;
                }
                if (epoch.Length == 0)
                {
                    // An epoch the server never started: the topic's first message will look like an epoch change.
                    lock (_gate)
                    {
                        _emptyEpochs.Add($"{property.Name} [{seq}, \"\"] in hello {_hellos.Count + 1}");
                    }
                }
                if (before.TryGetValue(property.Name, out var prev))
                {
                    _positions[property.Name] = prev;
                    if (prev.Seq != seq || prev.Epoch != epoch)
                    {
                        changed.Add(property.Name);
                        if (property.Name == LobbyId && recovered == false)
                        {
                            AddLoss("hello.recovered false", prev.Seq, prev.Epoch, seq, epoch);
                        }
                    }
                    Adopt(property.Name, seq, epoch);
                }
                else
                {
                    _positions[property.Name] = new TopicState(seq, epoch);
                }
            }
        }
        if (recovered == false && before.TryGetValue(LobbyId, out var lost) && !_positions.ContainsKey(LobbyId))
        {
            // The server no longer has this window's room topic (its topic list was lost): only a reload brings it back.
            _reloadRequested = true;
            _reloadedFrom = (lost.Seq, lost.Epoch);
        }
        else if (_reloadedFrom is { } from && _positions.TryGetValue(LobbyId, out var now))
        {
            AddLoss(ReloadReason, from.Seq, from.Epoch, now.Seq, now.Epoch);
            _reloadedFrom = null;
        }
        _jumped.Clear();
        _requests.Clear();
        _live = true;
        _helloSeen = true;
        Volatile.Write(ref _liveFlag, 1);
        var lobby = _positions.GetValueOrDefault(LobbyId);
        lock (_gate)
        {
            _hellos.Add(new HelloRecord(connection, node, recovered, lobby?.Seq ?? -1, lobby?.Epoch ?? "", _replayedBeforeHello));
        }
        Settle();
    }

    private void Disconnected()
    {
        Volatile.Write(ref _liveFlag, 0);
        _live = false;
        _held = [];
        _requests.Clear();
        _resumeDeadlines.Clear();
        _jumped.Clear();
        _outgoing.Clear();
        Volatile.Write(ref _heldCount, 0);
    }

    // ------------------------------------------------------------------ §7 ordering (a port of df-ordering.js createOrdering)

    private void Receive(Incoming frame, int connection)
    {
        var entries = TrackedEntries(frame);
        if (entries.Count == 0)
        {
            Run(frame, connection);
            return;
        }
        // Arrival order on this connection, for the report: a frame below the highest position already arrived in its
        // epoch is a replay (or a repeat).
        foreach (var entry in entries.Where(e => e.Id == LobbyId))
        {
            if (_maxArrived.TryGetValue(entry.Epoch, out var max) && entry.Seq < max)
            {
                frame.OutOfOrder = true;
            }
            else
            {
                _maxArrived[entry.Epoch] = Math.Max(max, entry.Seq);
            }
        }
        if (frame.BeforeHello)
        {
            _replayedBeforeHello++;
        }
        _held.Add(frame);
        Settle();
    }

    private List<Entry> TrackedEntries(Incoming frame) => [.. frame.Entries.Where(e => _positions.ContainsKey(e.Id))];

    private Kind Classify(Entry entry)
    {
        var last = _positions[entry.Id];
        if (entry.Epoch == last.Epoch)
        {
            return entry.Seq <= last.Seq ? Kind.Seen : entry.Seq == last.Seq + 1 ? Kind.Next : Kind.Gap;
        }
        return last.Retired.Contains(entry.Epoch) ? Kind.Seen : Kind.Gap;
    }

    private void Adopt(string id, long seq, string epoch)
    {
        var last = _positions[id];
        var retired = last.Epoch == epoch ? last.Retired : [.. new[] { last.Epoch }.Concat(last.Retired).Where(e => e != epoch).Take(4)];
        _positions[id] = new TopicState(seq, epoch) { Retired = retired };
    }

    private void Apply(Incoming frame)
    {
        var entries = TrackedEntries(frame);
        var fresh = entries.Count == 0;
        foreach (var entry in entries)
        {
            if (Classify(entry) == Kind.Next)
            {
                _positions[entry.Id].Seq = entry.Seq;
                fresh = true;
            }
        }
        if (fresh)
        {
            Run(frame, frame.Connection);
        }
        else
        {
            DroppedSeen++;
        }
    }

    private void Drain()
    {
        for (var i = 0; i < _held.Count;)
        {
            if (TrackedEntries(_held[i]).Any(e => Classify(e) == Kind.Gap))
            {
                i++;
                continue;
            }
            var frame = _held[i];
            _held.RemoveAt(i);
            Apply(frame);
            i = 0;
        }
    }

    private (HashSet<string> Gapped, bool Over) Survey()
    {
        var next = new HashSet<string>(StringComparer.Ordinal);
        var gapped = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var over = false;
        foreach (var frame in _held)
        {
            foreach (var entry in TrackedEntries(frame))
            {
                var state = Classify(entry);
                if (state == Kind.Next)
                {
                    next.Add(entry.Id);
                }
                else if (state == Kind.Gap)
                {
                    gapped.Add(entry.Id);
                }
                counts[entry.Id] = counts.GetValueOrDefault(entry.Id) + 1;
                over |= counts[entry.Id] > MaxHeldFrames;
            }
        }
        gapped.ExceptWith(next);
        return (gapped, over);
    }

    /// <summary>Gives up on the missing part of topic <paramref name="id"/>: continues from its held frames of the epoch that arrived last.</summary>
    private void Accept(string id, string reason)
    {
        string? epoch = null;
        var min = long.MaxValue;
        for (var i = _held.Count - 1; i >= 0; i--)
        {
            foreach (var entry in TrackedEntries(_held[i]))
            {
                if (entry.Id != id || Classify(entry) != Kind.Gap)
                {
                    continue;
                }
                epoch ??= entry.Epoch;
                if (entry.Epoch == epoch && entry.Seq < min)
                {
                    min = entry.Seq;
                }
            }
        }
        _requests.Remove(id);
        if (epoch is not null)
        {
            var last = _positions[id];
            if (id == LobbyId)
            {
                AddLoss(reason, last.Seq, last.Epoch, min - 1, epoch);
            }
            Adopt(id, min - 1, epoch);
        }
    }

    private void Settle()
    {
        while (true)
        {
            Drain();
            var (gapped, over) = Survey();
            foreach (var id in _requests.Keys.Where(id => !gapped.Contains(id)).ToList())
            {
                _requests.Remove(id); // closed by itself
            }
            if (_held.Count > 0 && gapped.Count == 0)
            {
                // Frames waiting on each other across topics: the oldest runs and its topics jump to it.
                var frame = _held[0];
                _held.RemoveAt(0);
                foreach (var entry in TrackedEntries(frame).Where(e => Classify(e) == Kind.Gap))
                {
                    if (entry.Id == LobbyId)
                    {
                        var last = _positions[entry.Id];
                        AddLoss("cross-topic deadlock", last.Seq, last.Epoch, entry.Seq - 1, entry.Epoch);
                    }
                    Adopt(entry.Id, entry.Seq - 1, entry.Epoch);
                }
                Apply(frame);
            }
            else if (gapped.Count > 0 && !_live)
            {
                // A reconnect's replay, before hello: a gap there is history the server no longer has.
                foreach (var id in gapped)
                {
                    Accept(id, "gap in the replay before hello");
                    _jumped.Add(id);
                }
            }
            else if (over)
            {
                foreach (var id in gapped)
                {
                    Accept(id, "hold buffer overflow");
                }
            }
            else
            {
                var ask = gapped.Where(id => !_requests.ContainsKey(id)).ToList();
                if (ask.Count > 0)
                {
                    Request(ask);
                }
                break;
            }
        }
        ForgetDeadlines();
    }

    private void Request(List<string> ids)
    {
        var rid = ++_nextId;
        var pos = new JsonObject();
        foreach (var id in ids)
        {
            var last = _positions[id];
            pos[id] = new JsonArray(last.Seq, last.Epoch);
            _requests[id] = (rid, last.Seq, last.Epoch);
        }
        _outgoing.Add(new JsonObject { ["type"] = "resume", ["id"] = rid, ["pos"] = pos });
        _resumeDeadlines[rid] = Stopwatch.GetTimestamp() + (long)(ResumeTimeout.TotalSeconds * Stopwatch.Frequency);
        ResumesSent++;
    }

    private void Resumed(long rid, bool recovered, string reason)
    {
        foreach (var (id, request) in _requests.ToList())
        {
            if (request.Rid != rid)
            {
                continue;
            }
            _requests.Remove(id);
            var last = _positions[id];
            if (!recovered || (last.Seq == request.Seq && last.Epoch == request.Epoch))
            {
                Accept(id, reason);
            }
        }
        _resumeDeadlines.Remove(rid);
        Settle();
    }

    private void CheckResumeTimeouts()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (rid, deadline) in _resumeDeadlines.ToList())
        {
            if (now >= deadline)
            {
                ResumeTimeouts++;
                _resumeDeadlines.Remove(rid);
                Resumed(rid, recovered: false, "no resumed within 10 s");
            }
        }
    }

    private void ForgetDeadlines()
    {
        var used = _requests.Values.Select(r => r.Rid).ToHashSet();
        foreach (var rid in _resumeDeadlines.Keys.Where(rid => !used.Contains(rid)).ToList())
        {
            _resumeDeadlines.Remove(rid);
        }
    }

    /// <summary>Hands a frame to the "page": records chat messages with the way they came.</summary>
    private void Run(Incoming frame, int connection)
    {
        if (Str(frame.Frame, "type") != "signal" || Str(frame.Frame, "signal") != ChatSignal
            || !frame.Frame.TryGetProperty("opts", out var opts) || Str(opts, "b") is not { } batch
            || !opts.TryGetProperty("n", out var n) || n.ValueKind != JsonValueKind.Number)
        {
            return;
        }
        var lobby = frame.Entries.FirstOrDefault(e => e.Id == LobbyId);
        var via = lobby is null ? Via.Unsequenced : frame.BeforeHello ? Via.ConnectReplay : frame.OutOfOrder ? Via.ResumeReplay : Via.Live;
        lock (_gate)
        {
            _runs.Add(new RunRecord(batch, n.GetInt32(), lobby?.Seq ?? -1, lobby?.Epoch, Str(frame.Frame, "signal_id"), via, connection));
        }
    }

    private void AddLoss(string reason, long fromSeq, string fromEpoch, long toSeq, string toEpoch)
    {
        lock (_gate)
        {
            _losses.Add(new LossReport(reason, fromSeq, fromEpoch, toSeq, toEpoch));
        }
    }

    private static List<Entry> Entries(JsonElement frame)
    {
        var entries = new List<Entry>();
        if (frame.TryGetProperty("pos", out var pos) && pos.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in pos.EnumerateObject())
            {
                if (TryPosition(property.Value, out var seq, out var epoch))
                {
                    entries.Add(new Entry(property.Name, seq, epoch));
                }
            }
        }
        return entries;
    }

    private static bool TryPosition(JsonElement value, out long seq, out string epoch)
    {
        seq = 0;
        epoch = "";
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2 || value[0].ValueKind != JsonValueKind.Number
            || !value[0].TryGetInt64(out seq) || seq < 0 || value[1].ValueKind != JsonValueKind.String)
        {
            return false;
        }
        epoch = value[1].GetString()!;
        return true;
    }

    private static string? Str(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private sealed record Event(int Connection, JsonElement? Frame);

    private sealed record Entry(string Id, long Seq, string Epoch);

    private sealed class Incoming(JsonElement frame, List<Entry> entries, bool beforeHello, int connection)
    {
        public JsonElement Frame { get; } = frame;
        public List<Entry> Entries { get; } = entries;
        public bool BeforeHello { get; } = beforeHello;
        public int Connection { get; } = connection;
        public bool OutOfOrder { get; set; }
    }

    private sealed class TopicState(long seq, string epoch)
    {
        public long Seq { get; set; } = seq;
        public string Epoch { get; } = epoch;
        public List<string> Retired { get; init; } = [];
    }

    private enum Kind
    {
        Seen,
        Next,
        Gap,
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"switchboard-init\">(?<json>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InitElement();
}
