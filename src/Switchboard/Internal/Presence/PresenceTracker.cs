using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Registry;

namespace Switchboard.Internal.Presence;

/// <summary>
/// This node's side of presence and of the window lifecycle. The registry's events queue here and one loop applies them
/// to the <see cref="IPresenceStore"/> in order; every <see cref="PresenceOptions.RefreshInterval"/> the loop also renews
/// this node's entries, sweeps the expired ones of its topics and of abandoned topics (a dead node's), and answers what
/// changed: the change signal to a topic whose users changed, <see cref="LifecycleSignals"/> for a window whose first
/// socket appeared or last one went. A store failure is logged and healed by the next refresh (an entry that could not
/// be removed expires; one that could not be added is added again).
/// </summary>
internal sealed partial class PresenceTracker : IHostedService, IAsyncDisposable
{
    /// <summary>Abandoned topics taken per store call.</summary>
    private const int AbandonedPerRound = 256;

    /// <summary>Store calls for abandoned topics per refresh at most, so one refresh stays short.</summary>
    private const int AbandonedRounds = 16;

    /// <summary>Store writes in flight at once during a refresh.</summary>
    private const int RefreshBatch = 256;

    private readonly IPresenceStore _store;
    private readonly PresenceTopics _topics;
    private readonly TopicPublisher _publisher;
    private readonly ISignals _signals;
    private readonly SignalRegistry _registry;
    private readonly TimeProvider _time;
    private readonly PresenceOptions _options;
    private readonly ILogger<PresenceTracker> _logger;
    private readonly PresenceEvents _events;
    private readonly Dictionary<object, PresenceSocket> _sockets = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> _localTopics = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _node = Guid.NewGuid().ToString("N");
    private long _nextSocket;
    private int _disposed;
    private bool _lifecycle;
    private ITimer? _timer;
    private Task _loop = Task.CompletedTask;

    public PresenceTracker(
        PresenceEvents events,
        IPresenceStore store,
        PresenceTopics topics,
        TopicPublisher publisher,
        ISignals signals,
        SignalRegistry registry,
        TimeProvider time,
        IOptions<SwitchboardOptions> options,
        ILogger<PresenceTracker> logger)
    {
        _events = events;
        _store = store;
        _topics = topics;
        _publisher = publisher;
        _signals = signals;
        _registry = registry;
        _time = time;
        _options = options.Value.Presence;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _lifecycle = _events.Lifecycle;
        if (!_events.Active)
        {
            return Task.CompletedTask;
        }
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        _timer = _time.CreateTimer(static state => ((PresenceEvents)state!).Refresh(), _events,
            _options.RefreshInterval, _options.RefreshInterval);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            // Disposed first (WebApplicationFactory with Kestrel disposes the services before it stops the host): the
            // loop was stopped then, and its token source is gone.
            return;
        }
        _timer?.Dispose();
        // Leaves already queued (windows closed by the shutdown) are still written, within the host's shutdown time.
        _events.Complete();
        try
        {
            await _loop.WaitAsync(cancellationToken);
            // Sockets still open go with this node: their entries are removed now rather than left to expire.
            foreach (var socket in _sockets.Keys.ToList())
            {
                await ClosedAsync(socket, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            await _stopping.CancelAsync();
        }
        catch (Exception e)
        {
            LogStoreFailed(_logger, "Stop", "", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // DI disposes it twice: as itself and as the hosted service the same instance is registered as.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _timer?.Dispose();
        _events.Complete();
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                switch (e.Kind)
                {
                    case PresenceEventKind.Opened:
                        await OpenedAsync(e.Socket!, e.Window!, cancellationToken);
                        break;
                    case PresenceEventKind.Joined:
                        await JoinedAsync(e.Socket!, e.Window!, e.Topic!, cancellationToken);
                        break;
                    case PresenceEventKind.Left:
                        await LeftAsync(e.Socket!, e.Topic!, cancellationToken);
                        break;
                    case PresenceEventKind.Closed:
                        await ClosedAsync(e.Socket!, cancellationToken);
                        break;
                    default:
                        await RefreshAsync(cancellationToken);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogStoreFailed(_logger, e.Kind.ToString(), e.Topic is { } topic ? LogName(topic) : "", ex);
            }
        }
    }

    private PresenceSocket State(object socket, WindowInfo window)
    {
        if (!_sockets.TryGetValue(socket, out var state))
        {
            _sockets[socket] = state = new PresenceSocket((++_nextSocket).ToString(System.Globalization.CultureInfo.InvariantCulture), window);
        }
        return state;
    }

    private DateTimeOffset Expiry() => _time.GetUtcNow() + _options.EntryLifetime;

    private async Task JoinedAsync(object socket, WindowInfo window, string topic, CancellationToken cancellationToken)
    {
        var state = State(socket, window);
        if (state.Entries.ContainsKey(topic))
        {
            return;
        }
        var entry = new PresenceEntry(topic, _node, state.Id, window.IsAuthenticated ? window.UserId : null, window.UserName);
        state.Entries[topic] = entry;
        Count(topic, +1);
        if (await _store.AddAsync(entry, Expiry(), cancellationToken))
        {
            await PublishAsync(topic, null, cancellationToken);
        }
        else if (state.Opened)
        {
            // The topic's users did not change: only the joining window needs to learn them.
            await PublishAsync(topic, window, cancellationToken);
        }
        else
        {
            // Its own topic may not be joined yet: it learns them once the socket has opened.
            (state.Pending ??= []).Add(topic);
        }
    }

    private async Task LeftAsync(object socket, string topic, CancellationToken cancellationToken)
    {
        if (!_sockets.TryGetValue(socket, out var state) || !state.Entries.Remove(topic, out var entry))
        {
            return;
        }
        state.Pending?.Remove(topic);
        Count(topic, -1);
        if (!state.Opened && state.Entries.Count == 0)
        {
            // A connect that failed half-way leaves its topics and never opens.
            _sockets.Remove(socket);
        }
        if (await _store.RemoveAsync(entry, cancellationToken))
        {
            await PublishAsync(topic, null, cancellationToken);
        }
    }

    private async Task OpenedAsync(object socket, WindowInfo window, CancellationToken cancellationToken)
    {
        var state = State(socket, window);
        state.Opened = true;
        if (state.Pending is { } pending)
        {
            state.Pending = null;
            foreach (var topic in pending)
            {
                await PublishAsync(topic, window, cancellationToken);
            }
        }
        if (_lifecycle && window.WindowKey is { Length: > 0 } key)
        {
            var topic = PresenceTopics.LifecycleTopic(key);
            var entry = new PresenceEntry(topic, _node, state.Id, key, null, JsonSerializer.Serialize(window, SwitchboardJson.Options));
            state.Entries[topic] = entry;
            Count(topic, +1);
            if (await _store.AddAsync(entry, Expiry(), cancellationToken))
            {
                await FireAsync(LifecycleSignals.WindowConnected, window, cancellationToken);
            }
        }
    }

    private async Task ClosedAsync(object socket, CancellationToken cancellationToken)
    {
        if (!_sockets.Remove(socket, out var state))
        {
            return;
        }
        foreach (var (topic, entry) in state.Entries)
        {
            Count(topic, -1);
            if (await _store.RemoveAsync(entry, cancellationToken))
            {
                if (PresenceTopics.IsLifecycle(topic))
                {
                    await FireAsync(LifecycleSignals.WindowDisconnected, state.Window, cancellationToken);
                }
                else
                {
                    await PublishAsync(topic, null, cancellationToken);
                }
            }
        }
    }

    private void Count(string topic, int delta)
    {
        var count = _localTopics.GetValueOrDefault(topic) + delta;
        if (count > 0)
        {
            _localTopics[topic] = count;
        }
        else
        {
            _localTopics.Remove(topic);
        }
    }

    /// <summary>
    /// Sends the topic's users to its windows (<paramref name="window"/> null) or to one window only. Lifecycle topics
    /// have no audience.
    /// </summary>
    private async Task PublishAsync(string topic, WindowInfo? window, CancellationToken cancellationToken)
    {
        if (PresenceTopics.IsLifecycle(topic))
        {
            return;
        }
        string target = topic;
        if (window is not null)
        {
            if (window.WindowKey is not { Length: > 0 })
            {
                return;
            }
            target = _topics.Keys.Window(window);
        }
        var info = PresenceSnapshot.From(topic, await _store.GetAsync(topic, _time.GetUtcNow(), cancellationToken));
        var body = FrameWriter.SignalBody(_options.Signal, PresenceSnapshot.Kwargs(info, _topics.Display(info.Topic)), SignalId.Next());
        await _publisher.PublishAsync([target], body, cancellationToken);
    }

    private async Task FireAsync(string signal, WindowInfo window, CancellationToken cancellationToken)
    {
        if (_registry.GetHandlers(signal).Count > 0)
        {
            await _signals.CallAsync(window, signal, to: [Destination.Server], cancellationToken: cancellationToken);
        }
    }
}
