namespace Switchboard;

/// <summary>One message of a topic's history.</summary>
/// <param name="Position">Its position in the topic.</param>
/// <param name="Body">Its body, as published.</param>
public sealed record HistoryEntry(TopicPosition Position, ReadOnlyMemory<byte> Body);
