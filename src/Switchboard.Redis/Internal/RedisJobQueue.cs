using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Durable <see cref="IJobQueue"/> on Redis Streams with one consumer group per queue. A job is acknowledged only
/// after its handlers ran; a job held by a worker that died is reclaimed after <see cref="SwitchboardRedisOptions.JobLease"/>,
/// which running workers keep renewing, so long jobs are not run twice. Acknowledgements are batched per stream
/// (<see cref="RedisAckBatcher"/>): <see cref="CompleteAsync"/> finishes once its job is acknowledged, and a worker
/// need not wait for it. Delayed jobs wait in a sorted set per queue and move to their stream when due, surviving
/// restarts. Jobs with an ordering key wait in their key's line (a list per queue and key): only the first of a line is
/// in the stream (or the delayed set), and completing it puts the next one there, in the same script
/// (<see cref="RedisScripts"/>). All keys of a queue share one Redis Cluster hash slot (<see cref="RedisNames"/>).
/// </summary>
internal sealed partial class RedisJobQueue : IJobQueue, IDeadLetterQueue, IAsyncDisposable
{
    private readonly RedisConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisJobQueue> _logger;
    private readonly ConcurrentDictionary<string, RedisQueueReader> _readers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RedisJobLeaseState, byte> _held = new();
    private readonly ConcurrentDictionary<RedisKey, RedisAckBatcher> _ackers = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _consumer = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    private readonly int _workers;
    private Task? _background;
    private int _disposed;

    public RedisJobQueue(RedisConnection connection, TimeProvider time, IOptions<SwitchboardOptions> options, ILogger<RedisJobQueue> logger)
    {
        _connection = connection;
        _time = time;
        _logger = logger;
        _workers = Math.Max(1, options.Value.Workers.Count);
    }

    public async ValueTask EnqueueAsync(SignalJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrEmpty(job.Queue);
        var db = await _connection.DatabaseAsync();
        var json = RedisJobSerializer.Serialize(job);
        var names = _connection.Names;
        if (job.OrderingKey is { } key)
        {
            await db.ScriptEvaluateAsync(RedisScripts.EnqueueInLine, [names.Line(job.Queue, key), names.Queue(job.Queue), names.Delayed(job.Queue)],
                [key, LineElement(job, json), NowMs(), LineExpiryMs]);
            return;
        }
        if (job.NotBefore is { } due && due > _time.GetUtcNow())
        {
            await db.SortedSetAddAsync(names.Delayed(job.Queue), json, due.ToUnixTimeMilliseconds());
            return;
        }
        await db.StreamAddAsync(names.Queue(job.Queue), RedisNames.JobField, json);
    }

    /// <summary>A job in its line: "due|job", due in Unix ms (0: at once).</summary>
    private static string LineElement(SignalJob job, string json) =>
        (job.NotBefore?.ToUnixTimeMilliseconds() ?? 0).ToString(CultureInfo.InvariantCulture) + "|" + json;

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    internal long LineExpiryMs => (long)_connection.Options.OrderingLineExpiry.TotalMilliseconds;

    public ValueTask<JobLease> DequeueAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        EnsureBackground();
        var reader = _readers.GetOrAdd(queue, q => new RedisQueueReader(_connection, this, q, _consumer, _workers, _time, _logger));
        reader.Start();
        return reader.TakeAsync(cancellationToken);
    }

    public ValueTask CompleteAsync(JobLease lease, CancellationToken cancellationToken)
    {
        var state = StateOf(lease);
        var acker = _ackers.GetOrAdd(state.Stream, s => new RedisAckBatcher(_connection, this, s, state.Queue, _consumer, _time, _logger));
        return new ValueTask(acker.AddAsync(lease));
    }

    public async ValueTask AbandonAsync(JobLease lease, TimeSpan delay, CancellationToken cancellationToken)
    {
        var state = StateOf(lease);
        var retry = lease.Job.WithAttempt(lease.Job.Attempt + 1, delay > TimeSpan.Zero ? _time.GetUtcNow() + delay : null);
        if (state.OrderingKey is { } key)
        {
            await AbandonInLineAsync(state, key, retry);
            return;
        }
        // Queue the retry first: if we crash in between, the original is reclaimed (a duplicate, never a loss).
        await EnqueueAsync(retry, cancellationToken);
        await CompleteAsync(lease, cancellationToken);
    }

    /// <summary>The retry of a job first in its line takes its place there, and the entry is acknowledged, atomically.</summary>
    private async Task AbandonInLineAsync(RedisJobLeaseState state, string key, SignalJob retry)
    {
        try
        {
            var db = await _connection.DatabaseAsync();
            var names = _connection.Names;
            var done = (long)await db.ScriptEvaluateAsync(RedisScripts.AbandonInLine,
                [state.Stream, names.Delayed(state.Queue), names.Line(state.Queue, key)],
                [RedisNames.ConsumerGroup, _consumer, state.EntryId, key, LineElement(retry, RedisJobSerializer.Serialize(retry)), NowMs(), LineExpiryMs]);
            if (done == 0)
            {
                LogAbandonLost(_logger, state.Queue, retry.Id, state.EntryId);
            }
        }
        finally
        {
            // Given back (or lost, or failed: then its lease runs out and it is reclaimed): no longer held here.
            Release(state);
        }
    }

    /// <summary>Adds a job to its queue's dead-letter stream (trimmed to about the configured capacity).</summary>
    public async ValueTask DeadLetterAsync(SignalJob job, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        var db = await _connection.DatabaseAsync();
        await db.StreamAddAsync(_connection.Names.DeadLetters(job.Queue),
            [new NameValueEntry(RedisNames.JobField, RedisJobSerializer.Serialize(job)), new NameValueEntry("reason", reason)],
            maxLength: _connection.Options.DeadLetterCapacity, useApproximateMaxLength: true);
    }

    public async ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string queue, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (count <= 0)
        {
            return [];
        }
        var db = await _connection.DatabaseAsync();
        var entries = await db.StreamRangeAsync(_connection.Names.DeadLetters(queue), "-", "+", count);
        return entries.Select(e => new DeadLetter(e.Id.ToString(),
            RedisJobSerializer.Deserialize((string?)e[RedisNames.JobField] ?? ""), (string?)e["reason"] ?? "")).ToList();
    }

    /// <summary>
    /// Re-queues a dead letter as a fresh job. The entry is deleted and the job added to its stream in one script, so
    /// concurrent calls re-queue it once and a crash never loses it. Only an id as listed (<c>ms-seq</c>) can match.
    /// </summary>
    public async ValueTask<bool> RequeueDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!IsEntryId(deadLetterId))
        {
            return false;
        }
        var db = await _connection.DatabaseAsync();
        var key = _connection.Names.DeadLetters(queue);
        var entries = await db.StreamRangeAsync(key, deadLetterId, deadLetterId, 1);
        if (entries.Length == 0 || RedisJobSerializer.Deserialize((string?)entries[0][RedisNames.JobField] ?? "") is not { } job)
        {
            return false;
        }
        var names = _connection.Names;
        var ordering = job.OrderingKey ?? "";
        RedisKey[] keys = job.OrderingKey is { } line
            ? [key, names.Queue(job.Queue), names.Delayed(job.Queue), names.Line(job.Queue, line)]
            : [key, names.Queue(job.Queue), names.Delayed(job.Queue)];
        var requeued = (long)await db.ScriptEvaluateAsync(RedisScripts.RequeueDeadLetter, keys,
            [deadLetterId, RedisJobSerializer.Serialize(job.WithAttempt(0, null)), ordering, NowMs(), LineExpiryMs]);
        return requeued == 1;
    }

    /// <summary>Whether <paramref name="id"/> is a complete stream entry id, <c>ms-seq</c> (both unsigned 64-bit).</summary>
    private static bool IsEntryId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && ulong.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && ulong.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    internal void Track(RedisJobLeaseState state) => _held.TryAdd(state, 0);

    internal bool IsHeld(RedisJobLeaseState state) => _held.ContainsKey(state);

    /// <summary>Disposal began: failed acks are no longer retried (shutdown is not held up by a Redis that is away).</summary>
    internal bool IsStopping => Volatile.Read(ref _disposed) == 1;

    /// <summary>The job was acknowledged (or its ack failed for good: then its lease runs out and it is reclaimed).</summary>
    internal void Release(RedisJobLeaseState state) => _held.TryRemove(state, out _);

    internal async Task DeadLetterRawAsync(string queue, RedisJobLeaseState state, string payload, string reason)
    {
        var db = await _connection.DatabaseAsync();
        await db.StreamAddAsync(_connection.Names.DeadLetters(queue),
            [new NameValueEntry(RedisNames.JobField, payload), new NameValueEntry("reason", reason)],
            maxLength: _connection.Options.DeadLetterCapacity, useApproximateMaxLength: true);
        // Completed like any job: the next one of its line (if it was first in one) comes.
        RedisKey[] keys = state.OrderingKey is { } line
            ? [state.Stream, _connection.Names.Delayed(queue), _connection.Names.Line(queue, line)]
            : [state.Stream, _connection.Names.Delayed(queue)];
        await db.ScriptEvaluateAsync(RedisScripts.Complete, keys,
            [RedisNames.ConsumerGroup, _consumer, NowMs(), LineExpiryMs, state.EntryId, state.OrderingKey ?? ""]);
        LogUnreadable(_logger, queue, state.EntryId);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under several service types, so the container may dispose it more than once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        // Acks of jobs that already ran go out before the connection closes (the lease renewal still runs meanwhile).
        foreach (var acker in _ackers.Values)
        {
            await acker.DrainAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await _stopping.CancelAsync();
        foreach (var reader in _readers.Values)
        {
            await reader.DisposeAsync();
        }
        if (_background is not null)
        {
            await _background.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _stopping.Dispose();
    }

    private static RedisJobLeaseState StateOf(JobLease lease) =>
        lease.State as RedisJobLeaseState ?? throw new ArgumentException("This lease does not come from the Redis job queue.", nameof(lease));

    private void EnsureBackground()
    {
        if (_background is not null)
        {
            return;
        }
        lock (_readers)
        {
            _background ??= Task.WhenAll(
                Task.Run(() => MoveDueLoopAsync(_stopping.Token)),
                Task.Run(() => RenewLoopAsync(_stopping.Token)));
        }
    }

    /// <summary>
    /// Every process with workers moves the due delayed jobs of the queues it serves (one script call per queue: each
    /// queue's keys are in one hash slot); the Lua script makes concurrent movers safe.
    /// </summary>
    private async Task MoveDueLoopAsync(CancellationToken stopping)
    {
        const int batch = 100;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var db = await _connection.DatabaseAsync();
                var now = NowMs();
                var moves = _readers.Keys.Select(queue => db.ScriptEvaluateAsync(RedisScripts.MoveDue,
                    [_connection.Names.Delayed(queue), _connection.Names.Queue(queue)], [now, batch])).ToArray();
                var moved = await Task.WhenAll(moves);
                if (moved.Any(m => (long)m == batch))
                {
                    continue;
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                LogBackgroundFailed(_logger, "moving delayed jobs", e.Message);
            }
            await Task.Delay(_connection.Options.DelayedPollInterval, _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RenewLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await Task.Delay(_connection.Options.LeaseRenewInterval, _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            try
            {
                var db = await _connection.DatabaseAsync();
                foreach (var group in _held.Keys.GroupBy(s => s.Stream))
                {
                    RedisValue[] args = [RedisNames.ConsumerGroup, _consumer, .. group.Select(s => (RedisValue)s.EntryId)];
                    var lost = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Renew, [group.Key], args))!;
                    foreach (var id in lost)
                    {
                        LogRenewLost(_logger, (string)group.Key!, (string)id!);
                    }
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                LogBackgroundFailed(_logger, "renewing job leases", e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 4306, EventName = "RedisAbandonLost", Level = LogLevel.Warning,
        Message = "Queue {Queue}: job {JobId} (entry {EntryId}) was given back after its lease was lost to another worker, which runs it again; the retry was dropped. Raise JobLease.")]
    private static partial void LogAbandonLost(ILogger logger, string queue, string jobId, string entryId);

    [LoggerMessage(EventId = 4302, EventName = "RedisUnreadableJob", Level = LogLevel.Error,
        Message = "Queue {Queue}: entry {EntryId} is not a readable job; moved to the dead-letter stream.")]
    private static partial void LogUnreadable(ILogger logger, string queue, string entryId);

    [LoggerMessage(EventId = 4303, EventName = "RedisBackgroundFailed", Level = LogLevel.Warning,
        Message = "Redis job queue: {Activity} failed: {Reason}; retrying.")]
    private static partial void LogBackgroundFailed(ILogger logger, string activity, string reason);

    [LoggerMessage(EventId = 4304, EventName = "RedisRenewLost", Level = LogLevel.Warning,
        Message = "Stream {Stream}: entry {EntryId} held here was reclaimed by another worker before its lease was renewed.")]
    private static partial void LogRenewLost(ILogger logger, string stream, string entryId);
}
