using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Workers;

namespace Switchboard.Testing;

/// <summary>Jobs: waiting for workers (inline) or running them one by one (stepped).</summary>
public sealed partial class SwitchboardTestHost
{
    /// <summary>The most jobs <see cref="RunPendingJobsAsync"/> runs: more means jobs that keep queueing jobs.</summary>
    private const int MaxJobsPerRun = 10_000;

    /// <summary>
    /// Every job queued and not finished, in the order queued: server handlers to run (with their signal, queue, kwargs
    /// and window) and delayed browser messages (<see cref="QueuedJob.IsDelivery"/>), due or not.
    /// </summary>
    public IReadOnlyList<QueuedJob> PendingJobs => _tracker.Snapshot();

    /// <summary>
    /// Inline: completes once every job that can run now has run — those queued since, and delayed ones the clock made
    /// due (<c>Time.Advance</c>), included; jobs still delayed are left for later. Event-driven: it never polls.
    /// </summary>
    /// <exception cref="TimeoutException">Jobs still ran after <see cref="SwitchboardTestHostOptions.Timeout"/>; the message lists them.</exception>
    /// <exception cref="InvalidOperationException">The host is stepped: run jobs with <see cref="RunPendingJobsAsync"/>.</exception>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Jobs == TestJobs.Stepped)
        {
            throw new InvalidOperationException("The host runs jobs stepped (TestJobs.Stepped): no worker runs them; call RunNextJobAsync or RunPendingJobsAsync.");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        while (true)
        {
            // The change to wait for is taken before the state is read, so a change in between is never missed.
            var changed = _tracker.Changed;
            if (!_tracker.Snapshot().Any(j => j.CanRun))
            {
                return;
            }
            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Jobs still had to run after {_options.Timeout.TotalSeconds} s (a handler waiting for the fake clock, or a queue no worker serves?): {DescribeJobs()}");
            }
        }
    }

    /// <summary>
    /// Stepped: runs the first job that can run now (of <paramref name="queue"/>, or of any queue) as a worker does —
    /// its handlers, each in its own scope, their failures reported to the calling window, retries given back to the
    /// queue — and returns it; null when no job can run (none queued, or all delayed: advance <see cref="Time"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The host runs jobs inline.</exception>
    public async Task<QueuedJob?> RunNextJobAsync(string? queue = null, CancellationToken cancellationToken = default)
    {
        if (_options.Jobs == TestJobs.Inline)
        {
            throw new InvalidOperationException("The host runs jobs inline (TestJobs.Inline): workers run them; await WhenIdleAsync instead.");
        }
        var next = _tracker.Snapshot().FirstOrDefault(j => j.CanRun && (queue is null || j.Queue == queue));
        if (next is null)
        {
            return null;
        }
        var jobs = Services.GetRequiredService<IJobQueue>();
        JobLease lease;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(_options.Timeout);
            try
            {
                lease = await jobs.DequeueAsync(next.Queue, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Job {next} can run, but queue '{next.Queue}' did not hand it out within {_options.Timeout.TotalSeconds} s.");
            }
        }
        OrderedRetry? retry;
        try
        {
            retry = await Services.GetRequiredService<JobExecutor>().ExecuteAsync(lease.Job, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // As a worker does: a job whose execution threw is done (the executor already reported its handlers' failures).
            await jobs.CompleteAsync(lease, CancellationToken.None);
            throw;
        }
        if (retry is not null)
        {
            // As a worker does: a job with an ordering key keeps its place, with only the handlers to retry.
            var again = lease.Job.WithAttempt(lease.Job.Attempt, lease.Job.NotBefore, retry.Handlers);
            await jobs.AbandonAsync(new JobLease(again, lease.State), retry.Delay, CancellationToken.None);
        }
        else
        {
            await jobs.CompleteAsync(lease, CancellationToken.None);
        }
        return new QueuedJob(lease.Job, lease.Job.NotBefore, canRun: true);
    }

    /// <summary>
    /// Stepped: runs jobs (<see cref="RunNextJobAsync"/>) until none can run now — jobs they queue included, delayed
    /// ones left for later — and returns how many ran.
    /// </summary>
    /// <exception cref="InvalidOperationException">More than 10,000 jobs: handlers that keep queueing jobs.</exception>
    public async Task<int> RunPendingJobsAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        while (await RunNextJobAsync(null, cancellationToken) is not null)
        {
            if (++count >= MaxJobsPerRun)
            {
                throw new InvalidOperationException($"{MaxJobsPerRun} jobs ran and more can run: do handlers keep queueing jobs? Pending: {DescribeJobs()}");
            }
        }
        return count;
    }

    private string DescribeJobs()
    {
        var jobs = PendingJobs;
        return jobs.Count == 0 ? "none pending" : string.Join("; ", jobs.Select(j => j.ToString()));
    }
}
