namespace Switchboard.Specification.Tests;

/// <summary>Steps the queue tests repeat, each awaited with the default timeout.</summary>
public static class JobQueueTestExtensions
{
    /// <summary>Takes the next job of <paramref name="queue"/> and completes it.</summary>
    public static async Task<SignalJob> TakeAsync(this IJobQueue jobs, string queue)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var lease = await jobs.DequeueAsync(queue, default).DefaultTimeout();
        await jobs.CompleteAsync(lease, default).DefaultTimeout();
        return lease.Job;
    }

    /// <summary>
    /// Fails unless a marker job enqueued now is the next job out of <paramref name="queue"/>: nothing else was
    /// available on it. Checks absence without sleeping.
    /// </summary>
    public static async Task AssertNothingAvailableAsync(this IJobQueue jobs, string queue, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var marker = SampleJobs.Minimal(queue, "marker-" + Guid.NewGuid().ToString("N"), now);
        await jobs.EnqueueAsync(marker, default).DefaultTimeout();
        var next = await jobs.TakeAsync(queue);
        Assert.True(next.Id == marker.Id, $"Queue '{queue}' had job {next.Id} ({next.Signal}) before the marker.");
    }
}
