namespace Switchboard;

/// <summary>A snapshot of one queue, as <see cref="IQueueStatistics"/> reads it.</summary>
/// <param name="Queue">The queue's name.</param>
/// <param name="Depth">
/// Jobs waiting for a worker: due, not handed out. A job with an ordering key counts once it is first in its key's line
/// (the jobs behind it are not available to any worker yet).
/// </param>
/// <param name="Leased">
/// Jobs handed to a worker and not completed yet: running, or (Redis) fetched into a worker process's buffer, or held
/// by a worker that died until their lease runs out.
/// </param>
/// <param name="OldestJobAge">How long the oldest job counted in <paramref name="Depth"/> has waited since it became available; null when none waits.</param>
/// <param name="Delayed">Jobs not due yet (countdown, eta, or a retry's delay).</param>
/// <param name="DeadLetters">Dead letters kept for the queue (<see cref="IDeadLetterQueue"/>).</param>
public sealed record QueueStatistics(string Queue, long Depth, long Leased, TimeSpan? OldestJobAge, long Delayed, long DeadLetters);
