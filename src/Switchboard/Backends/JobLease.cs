namespace Switchboard;

/// <summary>A job taken from a queue by a worker; it must be completed or abandoned.</summary>
public sealed class JobLease
{
    /// <summary>Creates a lease.</summary>
    public JobLease(SignalJob job, object? state = null)
    {
        Job = job;
        State = state;
    }

    /// <summary>The job.</summary>
    public SignalJob Job { get; }

    /// <summary>Queue-specific data (e.g. a stream entry id).</summary>
    public object? State { get; }
}
