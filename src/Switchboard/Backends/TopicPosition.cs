namespace Switchboard;

/// <summary>
/// A message's place in a topic's history: its sequence number (1, 2, 3, …) within an epoch. The epoch changes when
/// the history is lost (e.g. Redis restarted without persistence), so positions of different epochs do not compare.
/// </summary>
/// <param name="Sequence">The sequence number; 0 before the first message of the epoch.</param>
/// <param name="Epoch">The epoch, an opaque string.</param>
public readonly record struct TopicPosition(long Sequence, string Epoch);
