namespace Switchboard.ChaosTests;

/// <summary>
/// One tab showing the demo's <c>/chat/lobby</c> page through cuts, node changes and reloads. Each connection is a
/// <see cref="TestWindow"/> (Switchboard.Testing) with the same token; the page does the client's part of
/// docs/protocol.md §6–7 that makes the server replay — <c>connect.resume</c> with its positions on a reconnect,
/// <c>resume</c> on a live gap (<see cref="TopicCursor"/>), a reload when its room topic is gone — and records what the
/// server delivered as it came (<see cref="Deliveries"/>), checking each connection's rules (<see cref="ConnectionCheck"/>).
/// It does not re-implement the JS client's ordering: nothing is held, reordered or de-duplicated.
/// One loop task owns the connections and the cursors; the test reads the records through snapshots.
/// </summary>
internal sealed partial class ChaosPage : IAsyncDisposable
{
    public const string ChatSignal = "demo.chat.message";
    public const string ReloadReason = "room topic gone from hello.pos (recovered false): page reloaded";
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    private readonly NodeDirectory _nodes;
    private readonly string _path;
    private readonly TestWindowOptions _socketOptions;
    private readonly TestWindowOptions _pageOptions;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private PageInit _page;

    // Owned by the loop.
    private Dictionary<string, TopicCursor> _cursors = new(StringComparer.Ordinal);
    private bool _reloadRequested;
    private Pos? _reloadedFrom;

    // Records, under _gate.
    private readonly Lock _gate = new();
    private readonly List<Delivery> _deliveries = [];
    private readonly List<LossReport> _losses = [];
    private readonly List<HelloRecord> _hellos = [];
    private readonly List<string> _closes = [];
    private readonly List<string> _problems = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestWindow? _window;
    private Pos? _roomLast;
    private bool _live;
    private int _connection;
    private int _slot;
    private long _offlineUntil;

    private ChaosPage(int index, NodeDirectory nodes, int slot, ReconnectPolicy policy, string path, PageInit page, TestWindowOptions pageOptions)
    {
        Index = index;
        _nodes = nodes;
        _slot = slot;
        Policy = policy;
        _path = path;
        _page = page;
        _pageOptions = pageOptions;
        // The same cookie jar as the page; the connect timeout of a browser-like client; pings as df.js sends them.
        _socketOptions = pageOptions.Clone();
        _socketOptions.Timeout = TimeSpan.FromSeconds(5);
        _socketOptions.SendHeartbeats = true;
        _random = new Random(1000 + index);
    }

    public int Index { get; }

    public ReconnectPolicy Policy { get; }

    /// <summary>The topic id (§7) of the room topic the page checks.</summary>
    public string RoomId { get; } = TestWindow.TopicId(ChaosTests.Topic);

    /// <summary>The node slot the page connects to (now, or next time).</summary>
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

    /// <summary>Set when the page met a terminal close code or a fault of this test client.</summary>
    public string? Fatal { get; private set; }

    public int Cuts { get; private set; }

    public int ConnectFailures { get; private set; }

    public int HelloTimeouts { get; private set; }

    public int ResumesSent { get; private set; }

    public int ResumedFalse { get; private set; }

    /// <summary>Handshakes whose hello said <c>recovered: false</c>.</summary>
    public int HelloNotRecovered { get; private set; }

    public int ErrorFrames { get; private set; }

    /// <summary>Page reloads (the room topic was gone from hello.pos after recovered false).</summary>
    public int Reloads { get; private set; }

    public IReadOnlyList<Delivery> Deliveries => Snapshot(_deliveries);

    public IReadOnlyList<LossReport> Losses => Snapshot(_losses);

    public IReadOnlyList<HelloRecord> Hellos => Snapshot(_hellos);

    public IReadOnlyList<string> Closes => Snapshot(_closes);

    /// <summary>Server output that broke a rule of <see cref="ConnectionCheck"/>, or hello positions without an epoch.</summary>
    public IReadOnlyList<string> Problems => Snapshot(_problems);

    public int HelloCount => Read(() => _hellos.Count);

    /// <summary>Connected, past hello.</summary>
    public bool IsLive => Read(() => _live);

    /// <summary>Whether some delivery matches (looked at under the lock, without a copy).</summary>
    public bool Delivered(Func<Delivery, bool> match) => Read(() => _deliveries.Exists(d => match(d)));

    /// <summary>
    /// Whether the page's room cursor reached the position of the last delivery matching <paramref name="match"/>: every
    /// message before it was delivered, or declared lost by the server.
    /// </summary>
    public bool CaughtUpWith(Func<Delivery, bool> match) => Read(() =>
        _deliveries.FindLast(d => match(d)) is { Epoch: { } epoch } d && _roomLast is { } last && last.Epoch == epoch && last.Seq >= d.Seq);

    /// <summary>GETs the page from the slot's node, takes its token, and connects; returns after the first hello.</summary>
    public static async Task<ChaosPage> OpenAsync(int index, NodeDirectory nodes, int slot, string path, ReconnectPolicy policy)
    {
        var node = nodes[slot] ?? throw new InvalidOperationException($"node slot {slot} is down");
        var options = new TestWindowOptions { Timeout = TimeSpan.FromSeconds(15), Name = "page " + index };
        var page = await PageInit.LoadAsync(new Uri(node, path), options);
        var chaos = new ChaosPage(index, nodes, slot, policy, path, page, options);
        chaos._loop = Task.Run(chaos.RunAsync);
        await chaos.WaitUntilAsync(p => p.HelloCount >= 1, "its first hello", TimeSpan.FromSeconds(20));
        Assert.True(chaos.Hellos[0].Seq >= 0, $"hello.pos has no position for the room topic {chaos.RoomId}");
        return chaos;
    }

    /// <summary>
    /// Cuts the connection abruptly (no close frame); the page reconnects — to the other node if asked — after
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
            _window?.Abort();
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checked after every change of the page's records.</summary>
    public async Task WaitUntilAsync(Func<ChaosPage, bool> condition, string what, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }
            if (condition(this))
            {
                return;
            }
            if (Fatal is not null)
            {
                throw new InvalidOperationException($"page {Index}: {Fatal} (while waiting for {what})");
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"page {Index}: not {what} within {timeout}. {Describe()}");
            }
        }
    }

    public string Describe()
    {
        lock (_gate)
        {
            var last = _deliveries.Count > 0 ? _deliveries[^1] : null;
            return $"slot {_slot}, live {_live}, hellos {_hellos.Count}, deliveries {_deliveries.Count} (last {last?.Batch}-{last?.N} at [{last?.Seq}, {last?.Epoch}]), " +
                   $"room cursor {_roomLast}, resumes {ResumesSent}, connect failures {ConnectFailures}, hello timeouts {HelloTimeouts}, " +
                   $"error frames {ErrorFrames}, closes [{string.Join(", ", _closes)}], problems [{string.Join("; ", _problems)}], fatal {Fatal}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        lock (_gate)
        {
            _window?.Abort();
        }
        await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_loop.IsCompleted)
        {
            _stop.Dispose();
        }
    }

    private void Publish(ConnectionCheck check)
    {
        lock (_gate)
        {
            _roomLast = _cursors.GetValueOrDefault(RoomId)?.Last;
            foreach (var problem in check.Problems.Except(_problems))
            {
                _problems.Add(problem);
            }
        }
        Notify();
    }

    private void AddLoss(LossReport loss)
    {
        lock (_gate)
        {
            _losses.Add(loss);
        }
    }

    private void Problem(string text)
    {
        lock (_gate)
        {
            _problems.Add(text);
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

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private IReadOnlyList<T> Snapshot<T>(List<T> list) => Read<IReadOnlyList<T>>(() => [.. list]);
}
