namespace Switchboard;

/// <summary>
/// Seam: jobs whose handlers failed every allowed attempt (or that could not be read), kept per queue so an operator can
/// list them and re-queue them once the cause is fixed. Implemented by each <see cref="IJobQueue"/> (resolve it from
/// DI). Each queue keeps its own dead letters, oldest first, up to a capacity past which the oldest are dropped
/// (10,000 in memory; <c>SwitchboardRedisOptions.DeadLetterCapacity</c>, trimmed approximately, in Redis). A token
/// already cancelled makes every method throw <see cref="OperationCanceledException"/> and change nothing. Every
/// implementation passes <c>DeadLetterQueueConformanceTests</c>.
/// </summary>
public interface IDeadLetterQueue
{
    /// <summary>
    /// Adds <paramref name="job"/> after the dead letters of its queue (<see cref="SignalJob.Queue"/>), with an id of
    /// its own within that queue; the job is not on the queue any more.
    /// </summary>
    ValueTask DeadLetterAsync(SignalJob job, string reason, CancellationToken cancellationToken);

    /// <summary>The oldest <paramref name="count"/> dead letters of <paramref name="queue"/>, oldest first (none for a queue without any).</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string queue, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a dead letter back on its queue as a fresh job — attempt 0, available at once, every other field kept — and
    /// removes it from the dead letters; concurrent calls for one dead letter re-queue it once. False, changing nothing,
    /// when <paramref name="queue"/> has no dead letter <paramref name="deadLetterId"/> (already re-queued, dropped,
    /// unreadable, of another queue, or not an id at all). A call cancelled before the job is back leaves the dead letter
    /// in its place.
    /// </summary>
    ValueTask<bool> RequeueDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the dead letter <paramref name="deadLetterId"/> of <paramref name="queue"/> for good. False, changing
    /// nothing, when the queue has no such dead letter (already deleted or re-queued, dropped, or not an id at all);
    /// concurrent calls for one dead letter delete it once.
    /// </summary>
    ValueTask<bool> DeleteDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken);

    /// <summary>Deletes every dead letter of <paramref name="queue"/>; returns how many there were (0 for a queue without any).</summary>
    ValueTask<long> DeleteDeadLettersAsync(string queue, CancellationToken cancellationToken);
}
