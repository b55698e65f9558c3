namespace Switchboard.Internal.InMemory;

/// <summary>
/// <see cref="IQueueStatistics"/> and the deletion of dead letters. Every lease carries a <see cref="LeaseToken"/>: when
/// its job became available (the age of the oldest waiting job is the channel's first one's) and whether it was handed
/// out and settled, so a lease completed twice, or given back through a narrower copy, counts once.
/// </summary>
internal sealed partial class InMemoryJobQueue
{
    public ValueTask<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<QueueStatistics>(cancellationToken);
        }
        long deadLetters = 0;
        if (_dead.TryGetValue(queue, out var list))
        {
            lock (list)
            {
                deadLetters = list.Count;
            }
        }
        if (!_queues.TryGetValue(queue, out var state))
        {
            return ValueTask.FromResult(new QueueStatistics(queue, 0, 0, null, 0, deadLetters));
        }
        var reader = state.Channel.Reader;
        TimeSpan? oldest = reader.TryPeek(out var first) && first.State is LeaseToken token
            ? Max(_time.GetUtcNow() - token.AvailableAt, TimeSpan.Zero)
            : null;
        return ValueTask.FromResult(new QueueStatistics(queue, reader.Count, Math.Max(0, Interlocked.Read(ref state.Leased)), oldest,
            Math.Max(0, Interlocked.Read(ref state.Delayed)), deadLetters));
    }

    public ValueTask<bool> DeleteDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }
        if (!_dead.TryGetValue(queue, out var list))
        {
            return ValueTask.FromResult(false);
        }
        lock (list)
        {
            var found = list.FirstOrDefault(d => d.Id == deadLetterId);
            return ValueTask.FromResult(found is not null && list.Remove(found));
        }
    }

    public ValueTask<long> DeleteDeadLettersAsync(string queue, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }
        if (!_dead.TryGetValue(queue, out var list))
        {
            return ValueTask.FromResult(0L);
        }
        lock (list)
        {
            long count = list.Count;
            list.Clear();
            return ValueTask.FromResult(count);
        }
    }

    /// <summary>Stamps a lease about to go to its queue's channel: it waits from now.</summary>
    private JobLease Available(JobLease lease)
    {
        if (lease.State is LeaseToken token)
        {
            token.AvailableAt = _time.GetUtcNow();
        }
        return lease;
    }

    private static JobLease HandOut(QueueState state, JobLease lease)
    {
        if (lease.State is LeaseToken token && Interlocked.CompareExchange(ref token.Stage, LeaseToken.HandedOut, LeaseToken.Waiting) == LeaseToken.Waiting)
        {
            Interlocked.Increment(ref state.Leased);
        }
        return lease;
    }

    /// <summary>A lease completed or given back: no longer leased (once, however often it is settled).</summary>
    private void Settle(JobLease lease)
    {
        if (lease.State is LeaseToken token && Interlocked.CompareExchange(ref token.Stage, LeaseToken.Settled, LeaseToken.HandedOut) == LeaseToken.HandedOut
            && _queues.TryGetValue(lease.Job.Queue, out var state))
        {
            Interlocked.Decrement(ref state.Leased);
        }
    }

    /// <summary>
    /// The <see cref="JobLease.State"/> of every in-memory lease; for a job with an ordering key, also its line's head token
    /// (compared by reference).
    /// </summary>
    private sealed class LeaseToken
    {
        public const int Waiting = 0;
        public const int HandedOut = 1;
        public const int Settled = 2;

        public int Stage;

        public DateTimeOffset AvailableAt;
    }
}
