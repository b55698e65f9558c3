namespace Switchboard;

/// <summary>
/// Seam: each window's topic list, written when the page is rendered and read when its WebSocket connects
/// (possibly on another node). Every implementation passes <c>TopicStoreConformanceTests</c>.
/// </summary>
public interface ITopicStore
{
    /// <summary>
    /// Stores (replaces) a copy of the topics of <paramref name="windowKey"/> for <paramref name="timeToLive"/>. Throws
    /// <see cref="ArgumentException"/> for an empty window key.
    /// </summary>
    ValueTask SetAsync(string windowKey, IReadOnlyList<string> topics, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>The topics of <paramref name="windowKey"/>, or null when unknown or expired.</summary>
    ValueTask<IReadOnlyList<string>?> GetAsync(string windowKey, CancellationToken cancellationToken);
}
