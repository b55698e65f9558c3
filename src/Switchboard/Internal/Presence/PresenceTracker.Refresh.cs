using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Presence;

internal sealed partial class PresenceTracker
{
    /// <summary>
    /// Renews every entry of this node, then sweeps the expired entries of this node's topics and of abandoned topics
    /// (whose nodes all stopped renewing) and answers the users that left and the windows whose last socket went.
    /// </summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var expires = now + _options.EntryLifetime;
        var entries = _sockets.Values.SelectMany(s => s.Entries.Values.Select(e => (Socket: s, Entry: e))).ToList();
        for (var start = 0; start < entries.Count; start += RefreshBatch)
        {
            var batch = entries.GetRange(start, Math.Min(RefreshBatch, entries.Count - start));
            var renewals = batch.Select(x => RenewAsync(x.Entry, expires, cancellationToken)).ToArray();
            await Task.WhenAll(renewals);
            for (var i = 0; i < batch.Count; i++)
            {
                if (!renewals[i].Result)
                {
                    continue;
                }
                // The entry was swept (this node stalled past the lifetime): its user or window is back.
                var (socket, entry) = batch[i];
                if (PresenceTopics.IsLifecycle(entry.Topic))
                {
                    await FireAsync(LifecycleSignals.WindowConnected, socket.Window, cancellationToken);
                }
                else
                {
                    await PublishAsync(entry.Topic, null, cancellationToken);
                }
            }
        }
        var topics = new HashSet<string>(_localTopics.Keys, StringComparer.Ordinal);
        // Abandoned topics include every closed window's lifecycle topic once its entry's time has passed: take them in
        // rounds, so churn cannot outgrow the sweeps, within a bound that keeps one refresh short.
        for (var round = 0; round < AbandonedRounds; round++)
        {
            var abandoned = await _store.TakeAbandonedTopicsAsync(now, AbandonedPerRound, cancellationToken);
            topics.UnionWith(abandoned);
            if (abandoned.Count < AbandonedPerRound)
            {
                break;
            }
        }
        var all = topics.ToList();
        for (var start = 0; start < all.Count; start += RefreshBatch)
        {
            var batch = all.GetRange(start, Math.Min(RefreshBatch, all.Count - start));
            var sweeps = batch.Select(topic => SweepAsync(topic, now, cancellationToken)).ToArray();
            await Task.WhenAll(sweeps);
            for (var i = 0; i < batch.Count; i++)
            {
                await AnswerAsync(batch[i], sweeps[i].Result, cancellationToken);
            }
        }
    }

    private async Task<bool> RenewAsync(PresenceEntry entry, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.AddAsync(entry, expires, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(_logger, "Renew", LogName(entry.Topic), e);
            return false;
        }
    }

    private async Task<PresenceSweep> SweepAsync(string topic, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.SweepAsync(topic, now, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogStoreFailed(_logger, "Sweep", LogName(topic), e);
            return PresenceSweep.Empty;
        }
    }

    /// <summary>Tells what a sweep removed: the topic's new users to its windows, or that a window's last socket went.</summary>
    private async Task AnswerAsync(string topic, PresenceSweep sweep, CancellationToken cancellationToken)
    {
        if (sweep.Removed.Count > 0)
        {
            LogExpired(_logger, sweep.Removed.Count, LogName(topic));
        }
        if (sweep.Left.Count == 0)
        {
            return;
        }
        if (!PresenceTopics.IsLifecycle(topic))
        {
            await PublishAsync(topic, null, cancellationToken);
            return;
        }
        foreach (var entry in sweep.Left)
        {
            var window = entry.Data is { } data ? JsonSerializer.Deserialize<WindowInfo>(data, SwitchboardJson.Options) : null;
            await FireAsync(LifecycleSignals.WindowDisconnected, window ?? new WindowInfo { WindowKey = entry.UserId }, cancellationToken);
        }
    }

    /// <summary>A topic as logs show it: a lifecycle topic's window key stays out of them.</summary>
    private static string LogName(string topic) => PresenceTopics.IsLifecycle(topic) ? "(a window's sockets)" : topic;

    [LoggerMessage(EventId = 1471, EventName = "PresenceStoreFailed", Level = LogLevel.Warning,
        Message = "Presence: {Operation} of topic {Topic} failed in the presence store; the next refresh repairs it (entries expire or are added again).")]
    private static partial void LogStoreFailed(ILogger logger, string operation, string topic, Exception exception);

    [LoggerMessage(EventId = 1472, EventName = "PresenceEntriesExpired", Level = LogLevel.Information,
        Message = "Presence: removed {Count} expired entries of topic {Topic}, left by a node that stopped renewing them.")]
    private static partial void LogExpired(ILogger logger, int count, string topic);
}
