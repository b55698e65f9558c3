using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>Where a leased job lives in Redis.</summary>
internal sealed record RedisJobLeaseState(RedisKey Stream, string EntryId);
