namespace Switchboard;

/// <summary>
/// Names and tag of the health checks <c>services.AddHealthChecks().AddSwitchboard()</c> registers (docs/operations.md,
/// Health checks), e.g. to filter them with <c>MapHealthChecks("/ready", new() { Predicate = r =&gt; r.Tags.Contains(SwitchboardHealthChecks.Tag) })</c>.
/// </summary>
public static class SwitchboardHealthChecks
{
    /// <summary>The tag every Switchboard check carries (the backend's checks too).</summary>
    public const string Tag = "switchboard";

    /// <summary>Workers of this process serve every queue they should: Unhealthy when a queue has no running worker.</summary>
    public const string Workers = "switchboard-workers";

    /// <summary>Queue depth and oldest job age under the thresholds: Degraded over them, Unhealthy when the queues cannot be read.</summary>
    public const string Queues = "switchboard-queues";

    /// <summary>Windows of this node below <see cref="SwitchboardHealthCheckOptions.WindowCapacityThreshold"/> of its capacity: Degraded at it.</summary>
    public const string Windows = "switchboard-windows";
}
