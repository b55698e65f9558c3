namespace Switchboard;

/// <summary>What <see cref="IPresenceStore.SweepAsync"/> removed from a topic.</summary>
/// <param name="Removed">The expired entries removed.</param>
/// <param name="Left">Of those, one entry per user that has no entry left on the topic (the users that left).</param>
public sealed record PresenceSweep(IReadOnlyList<PresenceEntry> Removed, IReadOnlyList<PresenceEntry> Left)
{
    /// <summary>Nothing removed.</summary>
    public static PresenceSweep Empty { get; } = new([], []);
}
