namespace Switchboard;

/// <summary>The messages of a topic after a position, oldest first.</summary>
/// <param name="Complete">False when some messages after the position are no longer in the history (trimmed by size or
/// age) or the epoch changed: the reader cannot recover everything it missed.</param>
/// <param name="Entries">The messages still available after the position, in order.</param>
/// <param name="Head">The topic's current position when read.</param>
public sealed record HistoryRead(bool Complete, IReadOnlyList<HistoryEntry> Entries, TopicPosition Head);
