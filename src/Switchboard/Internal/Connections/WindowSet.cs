namespace Switchboard.Internal.Connections;

/// <summary>The windows of a topic that has two or more, with the snapshot <see cref="TopicMembers.Snapshot"/> hands out.</summary>
internal sealed class WindowSet : HashSet<WindowConnection>
{
    /// <summary>What <see cref="TopicWindows"/> wraps (see there); null when out of date (rebuilt on the next read).</summary>
    public object? Snapshot;
}
