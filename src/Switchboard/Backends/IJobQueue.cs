namespace Switchboard;

/// <summary>
/// Seam: named work queues for server jobs and delayed deliveries. The in-memory implementation lives in this
/// package; Switchboard.Redis adds a durable one. Every implementation passes <c>JobQueueConformanceTests</c>.
/// </summary>
/// <remarks>
/// <para><b>Ordering keys.</b> Jobs of one queue with the same non-null <see cref="SignalJob.OrderingKey"/> (a window's
/// ordered calls) are handed out one at a time, in the order they were enqueued: the next one only once the previous one
/// was completed (<see cref="CompleteAsync"/>; a worker that dead-letters a job completes its lease too). While a job
/// is in line:</para>
/// <list type="bullet">
/// <item><see cref="AbandonAsync"/> keeps it first in line: the next job waits for its retry, however long the delay.</item>
/// <item>A job whose holder died (a durable queue reclaims it after its lease) is handed out again, still first in line;
/// the jobs after it follow once it completes. A crash never stalls a key's later jobs beyond the lease.</item>
/// <item>Completing a lease more than once, or completing a lease that was lost to another worker, advances the line once.</item>
/// <item>A job with <see cref="SignalJob.NotBefore"/> in the future waits for that time once it is first in line; the
/// jobs behind it wait too.</item>
/// </list>
/// <para>Jobs with different keys, or with no key, are unaffected by each other: they are handed out in parallel as
/// usual. A key's line is removed when it is empty.</para>
/// </remarks>
public interface IJobQueue
{
    /// <summary>
    /// Adds a job to <see cref="SignalJob.Queue"/>. A job with <see cref="SignalJob.NotBefore"/> in the future becomes
    /// available at that time. A job with an <see cref="SignalJob.OrderingKey"/> goes to the end of its key's line.
    /// Waits when the queue is full rather than dropping the job.
    /// </summary>
    ValueTask EnqueueAsync(SignalJob job, CancellationToken cancellationToken);

    /// <summary>Waits for the next available job of <paramref name="queue"/>.</summary>
    ValueTask<JobLease> DequeueAsync(string queue, CancellationToken cancellationToken);

    /// <summary>
    /// Marks a job done: it will not be delivered again, and the next job of its ordering key (if any) becomes
    /// available.
    /// </summary>
    ValueTask CompleteAsync(JobLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a job back to its queue as its next attempt (<see cref="JobLease.Job"/> with <see cref="SignalJob.Attempt"/>
    /// + 1), available again after <paramref name="delay"/>. A job with an ordering key keeps its place, first in line.
    /// A worker may give back a narrower job than it took (e.g. only the handlers that failed) by passing
    /// <c>new JobLease(narrowerJob, lease.State)</c>.
    /// </summary>
    ValueTask AbandonAsync(JobLease lease, TimeSpan delay, CancellationToken cancellationToken);
}
