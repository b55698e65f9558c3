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
/// acks are batched, and never by a worker that lost the job to another. A call that fails while Redis is away (a
/// connection lost, a Sentinel failover: writes refused with <c>READONLY</c> until the replica is promoted) is retried,
/// the jobs still held (their leases renewed), for up to <see cref="SwitchboardRedisOptions.JobLease"/>: giving up at
/// once would leave each job, and every job queued behind it in its ordering line, waiting for its lease to run out.
/// </summary>
internal sealed partial class RedisAckBatcher(
    RedisConnection connection, RedisJobQueue owner, RedisKey stream, string queue, string consumer, TimeProvider time, ILogger logger)
{
    /// <summary>Ids per Complete script call: bounds how long one call holds Redis.</summary>
    public const int MaxBatch = 128;

    /// <summary>Pauses between retries of a failed ack: from 100 ms, doubling up to a second.</summary>
    private static readonly TimeSpan FirstRetryPause = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxRetryPause = TimeSpan.FromSeconds(1);

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
    /// Sends the batch (one call per <see cref="MaxBatch"/> ids, side by side) and sends again the calls that failed on a
    /// transient error, with a growing pause, until they went through, the queue is stopping, or a lease has gone by.
    /// </summary>
    private async Task CompleteWithRetriesAsync(List<JobLease> batch)
    {
        var remaining = Enumerable.Range(0, (batch.Count + MaxBatch - 1) / MaxBatch)
            .Select(i => new Call(batch.GetRange(i * MaxBatch, Math.Min(MaxBatch, batch.Count - i * MaxBatch)))).ToList();
        var giveUpAt = time.GetUtcNow() + connection.Options.JobLease;
        var pause = FirstRetryPause;
        var logged = false;
        while (true)
        {
            var failures = await Task.WhenAll(remaining.Select(TryCompleteAsync));
            var failed = remaining.Where((_, i) => failures[i] is not null).ToList();
            if (failed.Count == 0)
            {
                return;
            }
            // Any lasting error ends the retries (and fails the batch, as before); transient ones alone are retried.
            var error = failures.FirstOrDefault(f => f is not null && !IsTransient(f)) ?? failures.First(f => f is not null)!;
            if (!IsTransient(error) || owner.IsStopping || time.GetUtcNow() + pause >= giveUpAt)
            {
                throw error;
            }
            if (!logged)
            {
                logged = true;
                LogAckRetrying(logger, queue, failed.Sum(c => c.Leases.Count), error.Message);
            }
            for (var i = 0; i < remaining.Count; i++)
            {
                // Refused outright (READONLY, LOADING, MASTERDOWN): nothing ran. Otherwise the script may have run and only
                // its reply was lost, so a job the retry finds no longer pending may simply be acknowledged already.
                if (failures[i] is { } failure && !IsRefused(failure))
                {
                    remaining[i].MayHaveRun = true;
                }
            }
            await Task.Delay(pause, time);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxRetryPause.Ticks));
            remaining = failed;
        }
    }

    private async Task<Exception?> TryCompleteAsync(Call call)
    {
        try
        {
            await CompleteAsync(call.Leases, call.MayHaveRun);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>Redis is away or not (yet) the master: worth retrying.</summary>
    private static bool IsTransient(Exception e) => e is RedisConnectionException or TimeoutException || IsRefused(e);

    /// <summary>A server error that says the script did not run because this server cannot take writes now.</summary>
    private static bool IsRefused(Exception e) => e is RedisServerException
        && (e.Message.StartsWith("READONLY", StringComparison.Ordinal) || e.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || e.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal));

    private async Task CompleteAsync(List<JobLease> batch, bool mayHaveRun)
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
            if (mayHaveRun && !await IsPendingElsewhereAsync(entryId))
            {
                // Not pending for anyone: the earlier attempt whose reply was lost acknowledged it.
                LogAlreadyAcknowledged(logger, lease?.Job.Queue ?? (string)stream!, lease?.Job.Id ?? "?", entryId);
                continue;
            }
            LogLeaseLost(logger, lease?.Job.Queue ?? (string)stream!, lease?.Job.Id ?? "?", entryId);
        }
    }

    private async Task<bool> IsPendingElsewhereAsync(string entryId)
    {
        var db = await connection.DatabaseAsync();
        var pending = await db.StreamPendingMessagesAsync(stream, RedisNames.ConsumerGroup, 1, RedisValue.Null, entryId, entryId);
        return pending.Length > 0;
    }

    /// <summary>One Complete script call's jobs, and whether an earlier attempt of it may have run.</summary>
    private sealed class Call(List<JobLease> leases)
    {
        public List<JobLease> Leases { get; } = leases;

        public bool MayHaveRun { get; set; }
    }

    [LoggerMessage(EventId = 4307, EventName = "RedisAckRetrying", Level = LogLevel.Warning,
        Message = "Queue {Queue}: acknowledging {Count} finished job(s) failed ({Reason}); retrying while their leases are kept (failover or reconnect).")]
    private static partial void LogAckRetrying(ILogger logger, string queue, int count, string reason);

    [LoggerMessage(EventId = 4308, EventName = "RedisAckAlreadyDone", Level = LogLevel.Information,
        Message = "Queue {Queue}: job {JobId} (entry {EntryId}) was already acknowledged by an attempt whose reply was lost.")]
    private static partial void LogAlreadyAcknowledged(ILogger logger, string queue, string jobId, string entryId);

    [LoggerMessage(EventId = 4301, EventName = "RedisLeaseLost", Level = LogLevel.Warning,
        Message = "Queue {Queue}: job {JobId} (entry {EntryId}) finished after its lease was lost to another worker; it may have run twice. Raise JobLease.")]
    private static partial void LogLeaseLost(ILogger logger, string queue, string jobId, string entryId);

    [LoggerMessage(EventId = 4305, EventName = "RedisStreamLost", Level = LogLevel.Warning,
        Message = "Queue {Queue}: job {JobId} (entry {EntryId}) finished, but its stream or consumer group no longer exists (Redis restarted without persistence?); nothing to acknowledge.")]
    private static partial void LogStreamLost(ILogger logger, string queue, string jobId, string entryId);
}
