namespace Switchboard;

/// <summary>Which queues this process works on, and with how many concurrent workers.</summary>
public sealed class WorkerOptions
{
    /// <summary>
    /// Queues this process runs workers for. Empty means every queue the process learns of (one-process mode).
    /// <value>The default is empty (all queues).</value>
    /// </summary>
    public IList<string> Queues { get; set; } = [];

    /// <summary>Concurrent workers per queue. <value>The default is 4.</value></summary>
    public int Count { get; set; } = 4;

    /// <summary>Per-queue override of <see cref="Count"/>, e.g. <c>{"slow": 1}</c>. <value>The default is empty.</value></summary>
    public IDictionary<string, int> PerQueue { get; set; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Jobs an in-memory queue holds before callers wait (back-pressure, nothing is dropped). <value>The default is 10000.</value></summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Whether an empty <see cref="Queues"/> means "every queue" (one process). The Redis backend turns it off, so web
    /// nodes run no workers unless queues are listed. <value>The default is true.</value>
    /// </summary>
    public bool ServeAllQueuesWhenNoneListed { get; set; } = true;

    /// <summary>Whether this process runs workers at all. <value>The default is true.</value></summary>
    public bool Enabled { get; set; } = true;
}
