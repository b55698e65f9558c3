namespace Switchboard;

/// <summary>
/// Jobs whose handlers failed every allowed attempt. Implemented by each <see cref="IJobQueue"/> (resolve it from DI);
/// list them to inspect, re-queue them once the cause is fixed.
/// </summary>
public interface IDeadLetterQueue
{
    /// <summary>Adds a job to its queue's dead letters.</summary>
    ValueTask DeadLetterAsync(SignalJob job, string reason, CancellationToken cancellationToken);

    /// <summary>The oldest <paramref name="count"/> dead letters of <paramref name="queue"/>.</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string queue, int count, CancellationToken cancellationToken);

    /// <summary>Puts a dead letter back on its queue with a fresh attempt count; false when it does not exist.</summary>
    ValueTask<bool> RequeueDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken);
}
