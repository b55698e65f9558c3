using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Where a leased job lives in Redis: its stream entry (the identity of the lease: two states are equal when their
/// stream and entry id are), its queue, and the ordering key of its line (the entry's field o), if any.
/// </summary>
internal sealed record RedisJobLeaseState(RedisKey Stream, string EntryId)
{
    /// <summary>The queue of <see cref="Stream"/>.</summary>
    public string Queue { get; init; } = "";

    /// <summary>The ordering key of the line the job is first in, as the entry says; null for a job outside any line.</summary>
    public string? OrderingKey { get; init; }

    public bool Equals(RedisJobLeaseState? other) => other is not null && Stream == other.Stream && EntryId == other.EntryId;

    public override int GetHashCode() => HashCode.Combine(Stream, EntryId);
}
