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

    /// <summary>
    /// Atomically adds <paramref name="add"/> (those not already there, at the end, in order) and removes
    /// <paramref name="remove"/> from the stored topics of <paramref name="windowKey"/>, and renews its time to live to
    /// <paramref name="timeToLive"/>. Returns the new list, or null when the window is unknown or expired (then nothing is
    /// stored: live membership never resurrects a closed page). A topic in both lists is removed.
    /// </summary>
    ValueTask<IReadOnlyList<string>?> ChangeAsync(string windowKey, IReadOnlyList<string> add, IReadOnlyList<string> remove, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>
    /// Renews the time to live of <paramref name="windowKey"/>'s topics to <paramref name="timeToLive"/> from now (a window
    /// that is still connected keeps its topics); false when the window is unknown or expired.
    /// </summary>
    ValueTask<bool> RefreshAsync(string windowKey, TimeSpan timeToLive, CancellationToken cancellationToken);
}
