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
/// need not wait for it. Delayed jobs wait in a sorted set and move to their stream when due, surviving restarts.
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
        var db = await _connection.DatabaseAsync();
        var json = RedisJobSerializer.Serialize(job);
        var stream = _connection.Names.Queue(job.Queue);
        if (job.NotBefore is { } due && due > _time.GetUtcNow())
        {
            await db.SortedSetAddAsync(_connection.Names.Delayed, (string)stream! + "|" + json, due.ToUnixTimeMilliseconds());
            return;
        }
        await db.StreamAddAsync(stream, RedisNames.JobField, json);
    }

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
        var acker = _ackers.GetOrAdd(state.Stream, s => new RedisAckBatcher(_connection, this, s, _consumer, _logger));
        return new ValueTask(acker.AddAsync(lease));
    }

    public async ValueTask AbandonAsync(JobLease lease, TimeSpan delay, CancellationToken cancellationToken)
    {
        var state = StateOf(lease);
        var retry = lease.Job.WithAttempt(lease.Job.Attempt + 1, delay > TimeSpan.Zero ? _time.GetUtcNow() + delay : null);
        // Queue the retry first: if we crash in between, the original is reclaimed (a duplicate, never a loss).
        await EnqueueAsync(retry, cancellationToken);
        await CompleteAsync(lease, cancellationToken);
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
        var requeued = (long)await db.ScriptEvaluateAsync(RedisScripts.RequeueDeadLetter, [key, _connection.Names.Queue(job.Queue)],
            [deadLetterId, RedisNames.JobField, RedisJobSerializer.Serialize(job.WithAttempt(0, null))]);
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

    /// <summary>The job was acknowledged (or its ack failed: then its lease runs out and it is reclaimed).</summary>
    internal void Release(RedisJobLeaseState state) => _held.TryRemove(state, out _);

    internal async Task DeadLetterRawAsync(string queue, RedisJobLeaseState state, string payload, string reason)
    {
        var db = await _connection.DatabaseAsync();
        await db.StreamAddAsync(_connection.Names.DeadLetters(queue),
            [new NameValueEntry(RedisNames.JobField, payload), new NameValueEntry("reason", reason)],
            maxLength: _connection.Options.DeadLetterCapacity, useApproximateMaxLength: true);
        await db.ScriptEvaluateAsync(RedisScripts.Complete, [state.Stream], [RedisNames.ConsumerGroup, _consumer, state.EntryId]);
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

    /// <summary>Every process with workers moves due delayed jobs; the Lua script makes concurrent movers safe.</summary>
    private async Task MoveDueLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var db = await _connection.DatabaseAsync();
                var moved = (long)await db.ScriptEvaluateAsync(RedisScripts.MoveDue, [_connection.Names.Delayed],
                    [_time.GetUtcNow().ToUnixTimeMilliseconds(), 100]);
                if (moved == 100)
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
