namespace Switchboard;

/// <summary>
/// Thresholds of the health checks that <c>services.AddHealthChecks().AddSwitchboard()</c> adds (docs/operations.md,
/// Health checks), bound from <c>Switchboard:HealthChecks</c>. Past a threshold a check reports Degraded, never Unhealthy:
/// a busy node still serves.
/// </summary>
public sealed class SwitchboardHealthCheckOptions
{
    /// <summary>
    /// A queue with more jobs waiting for a worker than this is Degraded (<see cref="QueueStatistics.Depth"/>).
    /// <value>The default is 1000.</value>
    /// </summary>
    public long MaxQueueDepth { get; set; } = 1000;

    /// <summary>
    /// A queue whose oldest waiting job has waited longer than this is Degraded (<see cref="QueueStatistics.OldestJobAge"/>).
    /// <value>The default is 1 minute.</value>
    /// </summary>
    public TimeSpan MaxOldestJobAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The node is Degraded once its windows reach this share of <see cref="SwitchboardOptions.MaxWindows"/> (a number above
    /// 0, at most 1). <value>The default is 0.9.</value>
    /// </summary>
    public double WindowCapacityThreshold { get; set; } = 0.9;

    /// <summary>
    /// How long one check may wait for its backend (a Redis ping, the queue statistics) before it reports Unhealthy.
    /// <value>The default is 5 seconds.</value>
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
