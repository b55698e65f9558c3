namespace Switchboard;

/// <summary>
/// Seam: the presence entries of every node (one per socket and topic, each with an expiry its node keeps renewing),
/// and per topic and user how many entries there are, so that a join and the last leave of a user are told apart
/// atomically whichever node writes. Time is passed in by the caller (its <see cref="TimeProvider"/>); an entry still
/// counts for its user until it is removed or swept, but <see cref="GetAsync"/> never returns an expired one. Every
/// implementation passes <c>PresenceStoreConformanceTests</c>.
/// </summary>
public interface IPresenceStore
{
    /// <summary>
    /// Adds <paramref name="entry"/> or renews its expiry to <paramref name="expires"/>. True when the entry is new and its
    /// user had no other entry on the topic: the user joined.
    /// </summary>
    ValueTask<bool> AddAsync(PresenceEntry entry, DateTimeOffset expires, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="entry"/>. True when it was there and was its user's last on the topic: the user left.</summary>
    ValueTask<bool> RemoveAsync(PresenceEntry entry, CancellationToken cancellationToken);

    /// <summary>The entries of <paramref name="topic"/> that have not expired at <paramref name="now"/>.</summary>
    ValueTask<IReadOnlyList<PresenceEntry>> GetAsync(string topic, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the entries of <paramref name="topic"/> expired at <paramref name="now"/>; each removed entry is returned to
    /// one caller only, whichever node sweeps.
    /// </summary>
    ValueTask<PresenceSweep> SweepAsync(string topic, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="max"/> topics whose entries have all expired at <paramref name="now"/> (no node renews them:
    /// their nodes died), for the caller to sweep; each is returned to one caller only, until an entry is added again.
    /// </summary>
    ValueTask<IReadOnlyList<string>> TakeAbandonedTopicsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);
}
