namespace Switchboard;

/// <summary>
/// The queues of this application and their dead letters, for operators: health checks, the demo's
/// <c>worker dead-letters</c> verbs, a dashboard. Resolve it from DI; it works in every role (web node, worker, a console
/// tool), on every backend, and reads the queues themselves, so on Redis it sees the jobs of every process.
/// See docs/operations.md, Queue statistics and dead letters.
/// </summary>
public interface ISwitchboardQueues
{
    /// <summary>
    /// The queues that have server handlers (the fixed queues of the registered handlers, <see cref="SwitchboardOptions.DefaultQueue"/>
    /// when a handler uses it), those listed in <see cref="WorkerOptions.Queues"/>, and the queue of delayed browser
    /// messages, in that order. Queues a queue selector invents at run time are not listed; ask <see cref="GetQueueAsync"/>.
    /// </summary>
    IReadOnlyList<string> QueueNames { get; }

    /// <summary>The statistics of every queue of <see cref="QueueNames"/>, read now.</summary>
    ValueTask<IReadOnlyList<QueueStatistics>> GetQueuesAsync(CancellationToken cancellationToken);

    /// <summary>The statistics of one queue, read now (all zero for a queue never used).</summary>
    ValueTask<QueueStatistics> GetQueueAsync(string queue, CancellationToken cancellationToken);

    /// <summary>The oldest <paramref name="count"/> (1 to 10,000) dead letters of <paramref name="queue"/>, oldest first.</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string queue, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Puts one dead letter back on its queue as a fresh job (attempt 0, at once); false when the queue has no such dead
    /// letter (see <see cref="IDeadLetterQueue.RequeueDeadLetterAsync"/>).
    /// </summary>
    ValueTask<bool> RequeueDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken);

    /// <summary>
    /// Puts back every dead letter the queue held when the call started, oldest first; letters dead-lettered meanwhile
    /// (a job failing again at once included) stay. Returns how many were re-queued. Unreadable ones stay too.
    /// </summary>
    ValueTask<long> RequeueDeadLettersAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Deletes one dead letter for good; false when the queue has no such dead letter.</summary>
    ValueTask<bool> DeleteDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken);

    /// <summary>Deletes every dead letter of <paramref name="queue"/>; returns how many there were.</summary>
    ValueTask<long> DeleteDeadLettersAsync(string queue, CancellationToken cancellationToken);
}
