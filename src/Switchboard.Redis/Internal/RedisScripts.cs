namespace Switchboard.Redis.Internal;

/// <summary>Lua scripts that must run atomically in Redis.</summary>
internal static class RedisScripts
{
    /// <summary>
    /// Moves due delayed jobs to their streams. KEYS[1] = delayed zset; ARGV[1] = now (ms), ARGV[2] = batch size.
    /// Members are "streamKey|jobJson". Returns how many moved.
    /// </summary>
    public const string MoveDue = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for _, member in ipairs(due) do
          local sep = string.find(member, '|', 1, true)
          redis.call('XADD', string.sub(member, 1, sep - 1), '*', 'job', string.sub(member, sep + 1))
          redis.call('ZREM', KEYS[1], member)
        end
        return #due
        """;

    /// <summary>
    /// Renews the lease of entries still owned by this consumer (resets their idle time) and never takes back an entry
    /// another worker reclaimed. KEYS[1] = stream; ARGV[1] = group, ARGV[2] = consumer, ARGV[3..] = ids.
    /// Returns the ids no longer owned.
    /// </summary>
    public const string Renew = """
        local lost = {}
        for i = 3, #ARGV do
          local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
          if #p == 1 and p[1][2] == ARGV[2] then
            redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
          else
            table.insert(lost, ARGV[i])
          end
        end
        return lost
        """;

    /// <summary>
    /// Acknowledges and deletes an entry if this consumer still owns it. KEYS[1] = stream; ARGV = group, consumer, id.
    /// Returns 1 when acknowledged, 0 when another worker had reclaimed it.
    /// </summary>
    public const string Complete = """
        local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
        if #p == 1 and p[1][2] == ARGV[2] then
          redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
          redis.call('XDEL', KEYS[1], ARGV[3])
          return 1
        end
        return 0
        """;
}
