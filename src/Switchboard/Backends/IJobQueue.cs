namespace Switchboard;

/// <summary>
/// Seam: named work queues for server jobs and delayed deliveries. The in-memory implementation lives in this
/// package; Switchboard.Redis adds a durable one. Every implementation passes <c>JobQueueConformanceTests</c>.
/// </summary>
public interface IJobQueue
{
    /// <summary>
    /// Adds a job to <see cref="SignalJob.Queue"/>. A job with <see cref="SignalJob.NotBefore"/> in the future becomes
    /// available at that time. Waits when the queue is full rather than dropping the job.
    /// </summary>
    ValueTask EnqueueAsync(SignalJob job, CancellationToken cancellationToken);

    /// <summary>Waits for the next available job of <paramref name="queue"/>.</summary>
    ValueTask<JobLease> DequeueAsync(string queue, CancellationToken cancellationToken);

    /// <summary>Marks a job done: it will not be delivered again.</summary>
    ValueTask CompleteAsync(JobLease lease, CancellationToken cancellationToken);

    /// <summary>Gives a job back to its queue, available again after <paramref name="delay"/>.</summary>
    ValueTask AbandonAsync(JobLease lease, TimeSpan delay, CancellationToken cancellationToken);
}
