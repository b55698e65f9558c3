using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Operations;

/// <summary>
/// The statistics of every queue (<see cref="ISwitchboardQueues.GetQueuesAsync"/>), read at most once per
/// <see cref="SwitchboardOptions.QueueStatisticsInterval"/> whoever asks: gauges scraped by several exporters and health
/// probes share one read (one Redis round trip per queue). Gauges never wait: they get the last snapshot and start a
/// read in the background when it is stale; one read runs at a time.
/// </summary>
internal sealed partial class QueueStatisticsSampler(
    ISwitchboardQueues queues,
    TimeProvider time,
    IOptions<SwitchboardOptions> options,
    ILogger<QueueStatisticsSampler> logger)
{
    private readonly Lock _gate = new();
    private Snapshot? _last;
    private Task<Snapshot>? _reading;
    private volatile bool _failing;

    /// <summary>
    /// The last snapshot if it is at most three intervals old (else null: a gauge then reports nothing rather than a stale
    /// value); starts a read when it is older than one interval.
    /// </summary>
    public IReadOnlyList<QueueStatistics>? Latest()
    {
        var last = Volatile.Read(ref _last);
        var interval = options.Value.QueueStatisticsInterval;
        var now = time.GetUtcNow();
        if (last is null || now - last.At >= interval)
        {
            _ = StartRead();
        }
        return last is not null && now - last.At <= interval * 3 ? last.Queues : null;
    }

    /// <summary>A snapshot at most one interval old, read now if needed (shared with a read already running).</summary>
    public async Task<IReadOnlyList<QueueStatistics>> GetAsync(CancellationToken cancellationToken)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && time.GetUtcNow() - last.At < options.Value.QueueStatisticsInterval)
        {
            return last.Queues!;
        }
        var read = await StartRead().WaitAsync(cancellationToken);
        if (read.Error is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }
        return read.Queues!;
    }

    private Task<Snapshot> StartRead()
    {
        lock (_gate)
        {
            if (_reading is { IsCompleted: false } running)
            {
                return running;
            }
            return _reading = ReadAsync();
        }
    }

    /// <summary>Never throws (nobody may be waiting for it): a failure is the snapshot's <see cref="Snapshot.Error"/>.</summary>
    private async Task<Snapshot> ReadAsync()
    {
        // Off the caller's thread: a gauge callback runs inside a metrics export and must return at once.
        await Task.Yield();
        try
        {
            var snapshot = new Snapshot(await queues.GetQueuesAsync(CancellationToken.None), time.GetUtcNow(), null);
            Volatile.Write(ref _last, snapshot);
            _failing = false;
            return snapshot;
        }
        catch (Exception e)
        {
            // Once per outage: probes and scrapes keep retrying meanwhile.
            if (!_failing)
            {
                _failing = true;
                LogReadFailed(logger, e.GetType().Name, e.Message);
            }
            return new Snapshot(null, time.GetUtcNow(), e);
        }
    }

    private sealed record Snapshot(IReadOnlyList<QueueStatistics>? Queues, DateTimeOffset At, Exception? Error);

    [LoggerMessage(EventId = 2601, EventName = "QueueStatisticsFailed", Level = LogLevel.Warning,
        Message = "Reading the queue statistics failed ({ExceptionType}: {Reason}); queue gauges report nothing until a read succeeds.")]
    private static partial void LogReadFailed(ILogger logger, string exceptionType, string reason);
}
