namespace Switchboard;

/// <summary>
/// Seam: what a queue holds, for health checks, gauges and dashboards (apps read it through
/// <see cref="ISwitchboardQueues"/>). Implemented by each <see cref="IJobQueue"/> (resolve it from DI). One call is one
/// cheap read (one Redis round trip, in one hash slot), never a scan of the jobs. A token already cancelled makes it
/// throw <see cref="OperationCanceledException"/>. Every implementation passes the statistics tests of
/// <c>JobQueueConformanceTests</c> and <c>DeadLetterQueueConformanceTests</c>.
/// </summary>
public interface IQueueStatistics
{
    /// <summary>
    /// The statistics of <paramref name="queue"/> (all zero for a queue never used). Ages are measured with the queue's
    /// <see cref="TimeProvider"/> (on Redis, from the time the Redis server added the job to the queue's stream).
    /// </summary>
    ValueTask<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken);
}
