namespace Switchboard.Testing.Internal;

/// <summary>
/// The app's job queue, telling <see cref="JobTracker"/> what is queued and what finished. It also stands for the
/// queue's dead letters and statistics, which AddSwitchboard resolves from the registered <see cref="IJobQueue"/>.
/// </summary>
internal sealed class TrackingJobQueue(IJobQueue inner, JobTracker tracker) : IJobQueue, IDeadLetterQueue, IQueueStatistics
{
    public IJobQueue Inner => inner;

    public async ValueTask EnqueueAsync(SignalJob job, CancellationToken cancellationToken)
    {
        // Tracked first: a worker may take and finish the job before EnqueueAsync returns.
        tracker.Enqueued(job);
        try
        {
            await inner.EnqueueAsync(job, cancellationToken);
        }
        catch
        {
            tracker.Completed(job);
            throw;
        }
    }

    public ValueTask<JobLease> DequeueAsync(string queue, CancellationToken cancellationToken) => inner.DequeueAsync(queue, cancellationToken);

    public async ValueTask CompleteAsync(JobLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await inner.CompleteAsync(lease, cancellationToken);
        tracker.Completed(lease.Job);
    }

    public async ValueTask AbandonAsync(JobLease lease, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        tracker.Abandoned(lease.Job, delay);
        await inner.AbandonAsync(lease, delay, cancellationToken);
    }

    public ValueTask DeadLetterAsync(SignalJob job, string reason, CancellationToken cancellationToken) =>
        DeadLetters.DeadLetterAsync(job, reason, cancellationToken);

    public ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string queue, int count, CancellationToken cancellationToken) =>
        DeadLetters.ListDeadLettersAsync(queue, count, cancellationToken);

    public async ValueTask<bool> RequeueDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken)
    {
        // The queue puts the job back itself: tracked from the dead letter, so WhenIdleAsync waits for it too.
        var letters = await DeadLetters.ListDeadLettersAsync(queue, int.MaxValue, cancellationToken);
        var job = letters.FirstOrDefault(d => d.Id == deadLetterId)?.Job;
        if (job is not null)
        {
            tracker.Enqueued(job);
        }
        var requeued = await DeadLetters.RequeueDeadLetterAsync(queue, deadLetterId, cancellationToken);
        if (!requeued && job is not null)
        {
            tracker.Completed(job);
        }
        return requeued;
    }

    public ValueTask<bool> DeleteDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken) =>
        DeadLetters.DeleteDeadLetterAsync(queue, deadLetterId, cancellationToken);

    public ValueTask<long> DeleteDeadLettersAsync(string queue, CancellationToken cancellationToken) =>
        DeadLetters.DeleteDeadLettersAsync(queue, cancellationToken);

    public ValueTask<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken) =>
        (inner as IQueueStatistics ?? throw new NotSupportedException($"The job queue {inner.GetType().Name} keeps no statistics."))
            .GetStatisticsAsync(queue, cancellationToken);

    private IDeadLetterQueue DeadLetters =>
        inner as IDeadLetterQueue ?? throw new NotSupportedException($"The job queue {inner.GetType().Name} keeps no dead letters.");
}
