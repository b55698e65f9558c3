namespace Switchboard.Internal.Workers;

/// <summary>What the workers health check reads: the worker loops still running, per queue.</summary>
internal sealed partial class WorkerHost
{
    /// <summary>Per served queue, how many of its worker loops are still running (a loop ends only when the host stops).</summary>
    public IReadOnlyDictionary<string, int> RunningWorkers() =>
        _loops.ToDictionary(kv => kv.Key, kv => kv.Value.Count(t => t is { IsCompleted: false }), StringComparer.Ordinal);
}
