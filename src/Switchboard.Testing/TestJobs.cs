namespace Switchboard.Testing;

/// <summary>How a <see cref="SwitchboardTestHost"/> runs server jobs (handlers, delayed browser messages).</summary>
public enum TestJobs
{
    /// <summary>
    /// Workers run every queue as in production; <see cref="SwitchboardTestHost.WhenIdleAsync"/> waits until every job
    /// that can run now (due delayed ones included) has run. The default.
    /// </summary>
    Inline,

    /// <summary>
    /// No worker: jobs stay queued (<see cref="SwitchboardTestHost.PendingJobs"/>) until the test runs them with
    /// <see cref="SwitchboardTestHost.RunNextJobAsync"/> or <see cref="SwitchboardTestHost.RunPendingJobsAsync"/>.
    /// </summary>
    Stepped,
}
