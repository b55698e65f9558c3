using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Keeps connected windows alive past <see cref="SwitchboardOptions.WindowTokenLifetime"/> and
/// <see cref="SwitchboardOptions.TopicsTimeToLive"/> (docs/windows.md, "Long-lived windows"): one timer for the node (no
/// timer per window) whose sweep sends a window a new token once at most half of its token's lifetime is left, and renews
/// the time to live of its stored topic list every quarter of it, in one batch per sweep. A window's socket leaving renews
/// the list once more, so a closed page's list expires <see cref="SwitchboardOptions.TopicsTimeToLive"/> after its last
/// socket left. Each window's moments carry a random part, so windows that connected together do not renew together.
/// </summary>
internal sealed partial class WindowRenewal(
    LocalTopicRegistry registry,
    WindowTokenService tokens,
    ITopicStore store,
    TimeProvider time,
    IOptions<SwitchboardOptions> options,
    ILogger<WindowRenewal> logger) : IHostedService, IDisposable
{
    /// <summary>Topic-list renewals waiting on the store at once (StackExchange.Redis pipelines them).</summary>
    private const int MaxRefreshesInFlight = 64;

    /// <summary>The longest sweep period: short enough that renewals are spread over the day rather than bunched.</summary>
    private static readonly TimeSpan MaxPeriod = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private ITimer? _timer;
    private int _sweeping;
    private Task _refreshing = Task.CompletedTask;
    private int _refreshFailures;
    private Exception? _refreshError;

    /// <summary>
    /// The sweep period: at most an eighth of the token lifetime and of the topics' time to live, so a token is renewed with
    /// at least a quarter of its lifetime left and a list at most three eighths of its time to live after the last renewal.
    /// </summary>
    public static TimeSpan Period(SwitchboardOptions o)
    {
        var period = MaxPeriod;
        if (o.TopicsTimeToLive / 8 < period)
        {
            period = o.TopicsTimeToLive / 8;
        }
        if (o.WindowTokenLifetime / 8 < period)
        {
            period = o.WindowTokenLifetime / 8;
        }
        return period;
    }

    /// <summary>
    /// A window whose page stored no topic list gets one when server code joins it to topics (IWindowControl): from then
    /// on that list is renewed while the window is connected, like a page's.
    /// </summary>
    public static void KeepStoredTopicsAlive(WindowConnection window, SwitchboardOptions o, TimeProvider time)
    {
        if (window.TopicsRefreshAtTimestamp == long.MaxValue)
        {
            window.TopicsRefreshAtTimestamp = time.GetTimestamp() + Ticks(o.TopicsTimeToLive / 4, time);
        }
    }

    /// <summary>
    /// Sets the window's renewal moments at connect: its token is renewed between half and three eighths of its lifetime
    /// before <paramref name="tokenExpires"/>, its stored list (when it has one; the handshake has just renewed it) after
    /// between an eighth and a quarter of its time to live.
    /// </summary>
    public static void Schedule(WindowConnection window, DateTimeOffset tokenExpires, bool storedTopics, SwitchboardOptions o, TimeProvider time)
    {
        window.TokenRenewAtMs = TokenRenewAt(tokenExpires, o.WindowTokenLifetime);
        var every = o.TopicsTimeToLive / 4;
        window.TopicsRefreshAtTimestamp = storedTopics
            ? time.GetTimestamp() + Ticks(every - every / 2 * Random.Shared.NextDouble(), time)
            : long.MaxValue;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var period = Period(options.Value);
        _timer = time.CreateTimer(static s => ((WindowRenewal)s!).Sweep(), this, period, period);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        if (Volatile.Read(ref _disposed) == 0)
        {
            // Disposed first (WebApplicationFactory with Kestrel disposes the services before it stops the host): the
            // refresh was cancelled then.
            await _stopping.CancelAsync();
        }
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _timer?.Dispose();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>
    /// The last socket of a window on this node is gone: renews its stored list once more (a closed page keeps it
    /// <see cref="SwitchboardOptions.TopicsTimeToLive"/> from now, for a reconnect). Completes at once on an in-memory store.
    /// </summary>
    public void Left(WindowConnection window)
    {
        if (window.TopicsRefreshAtTimestamp != long.MaxValue && window.Window.WindowKey is { } key)
        {
            _ = RefreshOnLeaveAsync(key);
        }
    }

    /// <summary>One pass over this node's windows; run by the timer, callable by tests.</summary>
    internal void Sweep()
    {
        if (_stopping.IsCancellationRequested || Interlocked.Exchange(ref _sweeping, 1) != 0)
        {
            return;
        }
        try
        {
            var o = options.Value;
            var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            var now = time.GetTimestamp();
            // A batch still waiting on the store (Redis slow or down) is not doubled: its windows stay due for the next sweep.
            var mayRefresh = _refreshing.IsCompleted;
            Dictionary<string, List<WindowConnection>>? due = null;
            Exception? tokenError = null;
            foreach (var window in registry.AllWindows)
            {
                if (window.CloseStatus is not null || window.Window.WindowKey is not { } key)
                {
                    continue;
                }
                if (nowMs >= window.TokenRenewAtMs && RenewToken(window, key, o.WindowTokenLifetime) is { } error)
                {
                    tokenError ??= error;
                }
                if (mayRefresh && now >= window.TopicsRefreshAtTimestamp)
                {
                    due ??= new Dictionary<string, List<WindowConnection>>(StringComparer.Ordinal);
                    if (!due.TryGetValue(key, out var sockets))
                    {
                        due[key] = sockets = new List<WindowConnection>(1);
                    }
                    sockets.Add(window);
                }
            }
            if (tokenError is not null)
            {
                LogTokenRenewalFailed(logger, tokenError);
            }
            if (due is not null)
            {
                _refreshing = RefreshAsync(due, o.TopicsTimeToLive, _stopping.Token);
            }
        }
        catch (Exception e)
        {
            LogSweepFailed(logger, e);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    /// <summary>Sends the window a new token for its key, user and extensions; the error when one could not be made (tried again next sweep).</summary>
    private Exception? RenewToken(WindowConnection window, string key, TimeSpan lifetime)
    {
        string token;
        DateTimeOffset expires;
        try
        {
            // The page's extensions go into the new token too: a reconnect with it gets them back.
            token = tokens.Create(key, window.Window.UserId, window.Window.Extensions, out expires);
        }
        catch (Exception e)
        {
            return e; // the Data Protection key ring is unavailable (its repository unreachable, or no key)
        }
        window.TokenRenewAtMs = TokenRenewAt(expires, lifetime);
        if (window.TrySend(FrameWriter.Token(token, expires.ToUnixTimeMilliseconds())))
        {
            LogTokenRenewed(logger, key, expires);
        }
        return null;
    }

    /// <summary>Renews the due lists, a bounded number at a time; on an in-memory store the whole batch completes inline.</summary>
    private async Task RefreshAsync(Dictionary<string, List<WindowConnection>> due, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>();
        foreach (var (key, sockets) in due)
        {
            var refresh = RefreshOneAsync(key, sockets, ttl, cancellationToken);
            if (refresh.IsCompleted)
            {
                continue;
            }
            inFlight.Add(refresh);
            if (inFlight.Count >= MaxRefreshesInFlight)
            {
                await Task.WhenAny(inFlight);
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }
        await Task.WhenAll(inFlight);
        if (Interlocked.Exchange(ref _refreshFailures, 0) is > 0 and var failures)
        {
            LogTopicsRefreshFailed(logger, Interlocked.Exchange(ref _refreshError, null), failures);
        }
    }

    private async Task RefreshOneAsync(string key, List<WindowConnection> sockets, TimeSpan ttl, CancellationToken cancellationToken)
    {
        try
        {
            if (!await store.RefreshAsync(key, ttl, cancellationToken))
            {
                // Gone while the window is connected (Redis restarted without persistence, or flushed): put back the topics
                // the window has, so its next reconnect still gets them.
                if (sockets.Find(s => s.CloseStatus is null) is not { } live)
                {
                    return;
                }
                await store.SetAsync(key, live.Topics, ttl, cancellationToken);
                LogTopicsRestored(logger, key, live.Topics.Count);
            }
            var next = time.GetTimestamp() + Ticks(ttl / 4, time);
            foreach (var socket in sockets)
            {
                socket.TopicsRefreshAtTimestamp = next;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            // Still due: tried again at the next sweep. Logged once per batch, not once per window.
            Interlocked.Increment(ref _refreshFailures);
            Interlocked.CompareExchange(ref _refreshError, e, null);
        }
    }

    private async Task RefreshOnLeaveAsync(string key)
    {
        try
        {
            await store.RefreshAsync(key, options.Value.TopicsTimeToLive, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The list keeps the time to live of its last renewal (at least three quarters of it).
            LogLeaveRefreshFailed(logger, key, e.Message);
        }
    }

    /// <summary>When to send a new token: once at most half its lifetime is left, plus a random part of an eighth of it.</summary>
    private static long TokenRenewAt(DateTimeOffset expires, TimeSpan lifetime) =>
        (expires - lifetime / 2 + lifetime / 8 * Random.Shared.NextDouble()).ToUnixTimeMilliseconds();

    private static long Ticks(TimeSpan span, TimeProvider time) => (long)(span.TotalSeconds * time.TimestampFrequency);

    [LoggerMessage(EventId = 1460, EventName = "WindowTokenRenewed", Level = LogLevel.Debug,
        Message = "Window {WindowKey} was sent a new token, valid until {Expires:O}.")]
    private static partial void LogTokenRenewed(ILogger logger, string windowKey, DateTimeOffset expires);

    [LoggerMessage(EventId = 1461, EventName = "WindowTokenRenewalFailed", Level = LogLevel.Warning,
        Message = "No new window token could be made (Data Protection key ring unavailable?); connected windows are sent one at the next sweep.")]
    private static partial void LogTokenRenewalFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1462, EventName = "WindowTopicsRefreshFailed", Level = LogLevel.Warning,
        Message = "The time to live of {Count} connected windows' topic lists could not be renewed; tried again at the next sweep.")]
    private static partial void LogTopicsRefreshFailed(ILogger logger, Exception? exception, int count);

    [LoggerMessage(EventId = 1463, EventName = "WindowTopicsRestored", Level = LogLevel.Information,
        Message = "The stored topic list of connected window {WindowKey} was gone (topic store lost its data?); its {Count} topics were stored again.")]
    private static partial void LogTopicsRestored(ILogger logger, string windowKey, int count);

    [LoggerMessage(EventId = 1464, EventName = "WindowTopicsLeaveRefreshFailed", Level = LogLevel.Debug,
        Message = "The topic list of window {WindowKey} could not be renewed as its socket left: {Reason}")]
    private static partial void LogLeaveRefreshFailed(ILogger logger, string windowKey, string reason);

    [LoggerMessage(EventId = 1465, EventName = "WindowRenewalSweepFailed", Level = LogLevel.Error,
        Message = "The window renewal sweep failed unexpectedly; it runs again at its next period.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
