using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Acknowledges one stream's finished jobs in batches: the first completion starts a flush at once; completions that
/// arrive while a Complete script is in flight wait for it and go together in the next call (at most
/// <see cref="MaxBatch"/> ids per call). No timer: under load an ack waits at most one round trip, when idle none.
/// A job stays held (its lease renewed, never reclaimed by this process) until its ack returned, so a crash before
/// then loses nothing: the job is reclaimed after its lease and runs again (at-least-once). A job first in its line
/// moves the line on in the same script as its ack, only if this consumer still owns it: exactly once per job, however
/// acks are batched, and never by a worker that lost the job to another. An ack that fails because Redis is briefly
/// unreachable (a failover, a restart) is retried, the job still held, for up to one lease: otherwise the job would run
/// again and, first in its line, hold the line's next job back until its lease ran out (30 s by default).
/// </summary>
internal sealed partial class RedisAckBatcher(
    RedisConnection connection, RedisJobQueue owner, RedisKey stream, string queue, string consumer, TimeProvider time, ILogger logger)
{
    /// <summary>Ids per Complete script call: bounds how long one call holds Redis.</summary>
    public const int MaxBatch = 128;

    private readonly Lock _gate = new();
    private List<JobLease> _pending = [];
    private TaskCompletionSource _pendingDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _inFlight = Task.CompletedTask;
    private bool _flushing;

    /// <summary>Queues an ack; the task completes once Redis acknowledged it (or found it lost).</summary>
    public Task AddAsync(JobLease lease)
    {
        Task done;
        bool start;
        lock (_gate)
        {
            _pending.Add(lease);
            done = _pendingDone.Task;
            start = !_flushing;
            _flushing = true;
        }
        if (start)
        {
            // On the thread pool: the worker goes on at once, and completions arriving meanwhile join this batch.
            _ = Task.Run(FlushLoopAsync);
        }
        return done;
    }

    /// <summary>Waits for every ack queued so far (shutdown: finished jobs are not left to be run again).</summary>
    public Task DrainAsync()
    {
        lock (_gate)
        {
            // Batches go out one after the other: the last one's completion covers every earlier one.
            return _pending.Count == 0 ? _inFlight : _pendingDone.Task;
        }
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<JobLease> batch;
            TaskCompletionSource done;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _flushing = false;
                    return;
                }
                (batch, done) = (_pending, _pendingDone);
                _inFlight = done.Task;
                _pending = [];
                _pendingDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            try
            {
                await CompleteWithRetriesAsync(batch);
                done.TrySetResult();
            }
            catch (Exception e)
            {
                // Not acknowledged: the jobs are released below and reclaimed after their lease (run again, not lost).
                done.TrySetException(e);
            }
            finally
            {
                foreach (var lease in batch)
                {
                    owner.Release((RedisJobLeaseState)lease.State!);
                }
            }
        }
    }

    /// <summary>
    /// Sends the batch (one script call per <see cref="MaxBatch"/> ids); calls that failed because Redis was unreachable
    /// go again after a pause, until they pass or one lease has gone by (then the jobs are reclaimed as after a crash).
    /// Meanwhile the jobs stay held, so their leases are renewed as soon as Redis answers again.
    /// </summary>
    private async Task CompleteWithRetriesAsync(List<JobLease> batch)
    {
        var chunks = new List<List<JobLease>>();
        for (var i = 0; i < batch.Count; i += MaxBatch)
        {
            chunks.Add(batch.GetRange(i, Math.Min(MaxBatch, batch.Count - i)));
        }
        long? failingSince = null;
        for (var attempt = 0; ; attempt++)
        {
            var calls = chunks.Select(c => CompleteAsync(c, retried: attempt > 0)).ToArray();
            try
            {
                await Task.WhenAll(calls);
                if (attempt > 0)
                {
                    LogAckRetried(logger, queue, batch.Count, attempt);
                }
                return;
            }
            catch (Exception e) when (IsTransient(e) && !owner.IsDisposing)
            {
                failingSince ??= time.GetTimestamp();
                if (time.GetElapsedTime(failingSince.Value) >= connection.Options.JobLease)
                {
                    throw;
                }
                if (attempt == 0)
                {
                    LogAckRetrying(logger, queue, batch.Count, e.Message);
                }
                chunks = [.. chunks.Where((_, i) => !calls[i].IsCompletedSuccessfully)];
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 << Math.Min(attempt, 4))), time);
            }
        }
    }

    /// <summary>Redis could not take the call now but will soon: no connection, a timeout, a shard without master.</summary>
    private static bool IsTransient(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        RedisServerException server => server.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal) || server.Message.StartsWith("READONLY", StringComparison.Ordinal)
            || server.Message.StartsWith("LOADING", StringComparison.Ordinal) || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("NOREPLICAS", StringComparison.Ordinal),
        _ => false,
    };

    /// <param name="batch">The jobs to acknowledge.</param>
    /// <param name="retried">
    /// A retry after a failed call: an id not owned may then have been acknowledged by the failed call itself (it ran, its
    /// reply was lost), so that is no lost lease.
    /// </param>
    private async Task CompleteAsync(List<JobLease> batch, bool retried)
    {
        var args = new RedisValue[4 + 2 * batch.Count];
        args[0] = RedisNames.ConsumerGroup;
        args[1] = consumer;
        args[2] = time.GetUtcNow().ToUnixTimeMilliseconds();
        args[3] = owner.LineExpiryMs;
        var keys = new List<RedisKey>(2) { stream, connection.Names.Delayed(queue) };
        for (var i = 0; i < batch.Count; i++)
        {
            var state = (RedisJobLeaseState)batch[i].State!;
            args[4 + 2 * i] = state.EntryId;
            args[5 + 2 * i] = state.OrderingKey ?? "";
            if (state.OrderingKey is { } line)
            {
                keys.Add(connection.Names.Line(queue, line));
            }
        }
        RedisResult[] lost;
        try
        {
            var db = await connection.DatabaseAsync();
            lost = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Complete, [.. keys], args))!;
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            // The stream or its group is gone (Redis restarted without persistence, or the key was deleted): the entries
            // went with it, there is nothing left to acknowledge.
            foreach (var lease in batch)
            {
                LogStreamLost(logger, lease.Job.Queue, lease.Job.Id, ((RedisJobLeaseState)lease.State!).EntryId);
            }
            return;
        }
        foreach (var id in lost)
        {
            var entryId = (string)id!;
            var lease = batch.Find(l => ((RedisJobLeaseState)l.State!).EntryId == entryId);
            if (retried)
            {
                LogAckedOrLost(logger, lease?.Job.Queue ?? (string)stream!, lease?.Job.Id ?? "?", entryId);
                continue;
            }
            LogLeaseLost(logger, lease?.Job.Queue ?? (string)stream!, lease?.Job.Id ?? "?", entryId);
        }
    }

    [LoggerMessage(EventId = 4301, EventName = "RedisLeaseLost", Level = LogLevel.Warning,
        Message = "Queue {Queue}: job {JobId} (entry {EntryId}) finished after its lease was lost to another worker; it may have run twice. Raise JobLease.")]
    private static partial void LogLeaseLost(ILogger logger, string queue, string jobId, string entryId);

    [LoggerMessage(EventId = 4307, EventName = "RedisAckRetrying", Level = LogLevel.Warning,
        Message = "Queue {Queue}: acknowledging {Count} finished job(s) failed ({Reason}); retrying while Redis recovers, the jobs stay held.")]
    private static partial void LogAckRetrying(ILogger logger, string queue, int count, string reason);

    [LoggerMessage(EventId = 4308, EventName = "RedisAckRetried", Level = LogLevel.Information,
        Message = "Queue {Queue}: {Count} finished job(s) acknowledged after {Attempts} retries.")]
    private static partial void LogAckRetried(ILogger logger, string queue, int count, int attempts);

    [LoggerMessage(EventId = 4309, EventName = "RedisAckRetryFoundDone", Level = LogLevel.Information,
        Message = "Queue {Queue}: job {JobId} (entry {EntryId}) was no longer pending for this worker on a retried ack: the failed attempt went through, or the job was reclaimed (then it may run twice).")]
    private static partial void LogAckedOrLost(ILogger logger, string queue, string jobId, string entryId);

    [LoggerMessage(EventId = 4305, EventName = "RedisStreamLost", Level = LogLevel.Warning,
        Message = "Queue {Queue}: job {JobId} (entry {EntryId}) finished, but its stream or consumer group no longer exists (Redis restarted without persistence?); nothing to acknowledge.")]
    private static partial void LogStreamLost(ILogger logger, string queue, string jobId, string entryId);
}
