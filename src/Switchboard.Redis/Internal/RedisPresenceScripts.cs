namespace Switchboard.Redis.Internal;

/// <summary>
/// The Lua scripts of <see cref="RedisPresenceStore"/>. Each touches the two keys of one topic (one hash slot). A member
/// starts with its user group, length-prefixed in bytes (<c>#LEN:GROUP</c>), so a sweep can count down its user.
/// </summary>
internal static class RedisPresenceScripts
{
    /// <summary>Keys of a topic left behind are a safety net only: sweeps empty them long before.</summary>
    public const long KeyTimeToLiveMs = 24 * 60 * 60 * 1000;

    /// <summary>KEYS: entries, users. ARGV: member, expiry (ms), group, key TTL (ms). Returns 1 when the user joined.</summary>
    public const string Add = """
        local added = redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        local joined = 0
        if added == 1 and redis.call('HINCRBY', KEYS[2], ARGV[3], 1) == 1 then
          joined = 1
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        return joined
        """;

    /// <summary>KEYS: entries, users. ARGV: member, group. Returns 1 when the member was the user's last.</summary>
    public const string Remove = """
        if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
          return 0
        end
        if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
          redis.call('HDEL', KEYS[2], ARGV[2])
          return 1
        end
        return 0
        """;

    /// <summary>KEYS: entries, users. ARGV: now (ms), max. Returns {expired members removed, those that were a user's last}.</summary>
    public const string Sweep = """
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
        local left = {}
        for _, m in ipairs(expired) do
          redis.call('ZREM', KEYS[1], m)
          local colon = string.find(m, ':', 1, true)
          local n = tonumber(string.sub(m, 2, colon - 1))
          local group = string.sub(m, colon + 1, colon + n)
          if redis.call('HINCRBY', KEYS[2], group, -1) <= 0 then
            redis.call('HDEL', KEYS[2], group)
            table.insert(left, m)
          end
        end
        return {expired, left}
        """;

    /// <summary>KEYS: topics index. ARGV: now (ms), max. Takes (removes) and returns the topics whose latest expiry passed.</summary>
    public const string TakeAbandoned = """
        local topics = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
        if #topics > 0 then
          redis.call('ZREM', KEYS[1], unpack(topics))
        end
        return topics
        """;
}
