namespace Switchboard.Redis.Internal;

/// <summary>Lua scripts of the queue statistics and dead-letter tools; each touches the keys of one queue (one hash slot).</summary>
internal static class RedisStatisticsScripts
{
    /// <summary>
    /// A queue's counts in one round trip. Acknowledged entries are deleted (<see cref="RedisScripts.Complete"/>), so the
    /// stream holds the entries not delivered yet and the pending ones (leased): waiting = length − pending. The oldest
    /// waiting entry is the first one after the group's last delivered id (the whole stream before any worker created the
    /// group). KEYS[1] = stream, KEYS[2] = delayed set, KEYS[3] = dead-letter stream; ARGV[1] = group. Returns
    /// {waiting, pending, id of the oldest waiting entry or '', delayed, dead letters}.
    /// </summary>
    public const string Statistics = """
        local length = redis.call('XLEN', KEYS[1])
        local pending = 0
        local after = '-'
        if length > 0 then
          for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
            local name, count, last = nil, 0, nil
            for f = 1, #group, 2 do
              if group[f] == 'name' then name = group[f + 1]
              elseif group[f] == 'pending' then count = group[f + 1]
              elseif group[f] == 'last-delivered-id' then last = group[f + 1] end
            end
            if name == ARGV[1] then
              pending = count
              after = '(' .. last
            end
          end
        end
        local waiting = length - pending
        if waiting < 0 then waiting = 0 end
        local oldest = ''
        if waiting > 0 then
          local first = redis.call('XRANGE', KEYS[1], after, '+', 'COUNT', 1)
          if #first == 1 then oldest = first[1][1] end
        end
        return {waiting, pending, oldest, redis.call('ZCARD', KEYS[2]), redis.call('XLEN', KEYS[3])}
        """;

    /// <summary>Deletes a queue's dead-letter stream. KEYS[1] = dead-letter stream. Returns how many dead letters it held.</summary>
    public const string DeleteDeadLetters = """
        local count = redis.call('XLEN', KEYS[1])
        redis.call('DEL', KEYS[1])
        return count
        """;
}
