namespace Switchboard.Testing.Internal;

/// <summary>
/// The jobs queued and not yet finished, seen through <see cref="TrackingJobQueue"/>: what <c>PendingJobs</c> lists and
/// what <c>WhenIdleAsync</c> waits for. Every change completes <see cref="Changed"/>, so waiting is event-driven.
/// </summary>
internal sealed class JobTracker(TimeProvider time)
{
    private readonly Dictionary<string, Entry> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = New();
    private long _sequence;

    /// <summary>Completes at the next change (a job queued, finished or given back).</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public void Enqueued(SignalJob job) => Update(job, job.NotBefore);

    public void Abandoned(SignalJob job, TimeSpan delay) => Update(job, time.GetUtcNow() + delay);

    public void Completed(SignalJob job)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _jobs.Remove(job.Id);
            changed = Swap();
        }
        changed.TrySetResult();
    }

    /// <summary>Every job queued and not finished, in the order first queued, with whether it can run now.</summary>
    public IReadOnlyList<QueuedJob> Snapshot()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var entries = _jobs.Values.OrderBy(e => e.Sequence).ToList();
            // A job with an ordering key waits for the jobs before it in its line (IJobQueue): only the first can run.
            var heads = new HashSet<(string, string)>();
            var jobs = new List<QueuedJob>(entries.Count);
            foreach (var entry in entries)
            {
                var first = entry.Job.OrderingKey is not { } key || heads.Add((entry.Job.Queue, key));
                jobs.Add(new QueuedJob(entry.Job, entry.DueAt, first && (entry.DueAt is not { } due || due <= now)));
            }
            return jobs;
        }
    }

    private void Update(SignalJob job, DateTimeOffset? dueAt)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            // A retry keeps its place (the same id), as the queue keeps it first in its line.
            var sequence = _jobs.TryGetValue(job.Id, out var known) ? known.Sequence : _sequence++;
            _jobs[job.Id] = new Entry(job, dueAt, sequence);
            changed = Swap();
        }
        changed.TrySetResult();
    }

    private TaskCompletionSource Swap()
    {
        var changed = _changed;
        _changed = New();
        return changed;
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Entry(SignalJob Job, DateTimeOffset? DueAt, long Sequence);
}
