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
    /// Sequences a message in each of its topics, appends it to their histories and publishes it, atomically, so every
    /// node receives each topic's messages in sequence order. KEYS = meta, history for each topic; ARGV[1] = topic count,
    /// ARGV[2] = body, ARGV[3] = max length, ARGV[4] = time-to-live of idle topics (ms), ARGV[5] = epoch candidate,
    /// ARGV[6] = now (ms), then the topics, then their channels. Each channel gets "header\nbody" with the header
    /// {"t":[topics],"s":[seqs],"e":[epochs]}. Returns the header.
    /// </summary>
    public const string Publish = """
        local n = tonumber(ARGV[1])
        local body = ARGV[2]
        local seqs, epochs, topics = {}, {}, {}
        for i = 1, n do
          local meta, history = KEYS[2 * i - 1], KEYS[2 * i]
          local seq = redis.call('HINCRBY', meta, 'seq', 1)
          local epoch = redis.call('HGET', meta, 'epoch')
          if not epoch then
            epoch = ARGV[5] .. '.' .. i
            redis.call('HSET', meta, 'epoch', epoch)
          end
          redis.call('PEXPIRE', meta, ARGV[4])
          redis.call('XADD', history, 'MAXLEN', '~', ARGV[3], '0-' .. seq, 'b', body, 't', ARGV[6])
          redis.call('PEXPIRE', history, ARGV[4])
          seqs[i], epochs[i], topics[i] = seq, epoch, ARGV[6 + i]
        end
        local header = cjson.encode({t = topics, s = seqs, e = epochs})
        for i = 1, n do
          redis.call('PUBLISH', ARGV[6 + n + i], header .. '\n' .. body)
        end
        return header
        """;

    /// <summary>A topic's position, starting its epoch if it has none. KEYS[1] = meta; ARGV = epoch candidate, ttl (ms).</summary>
    public const string Position = """
        redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        local seq = redis.call('HGET', KEYS[1], 'seq')
        return {tonumber(seq or '0'), redis.call('HGET', KEYS[1], 'epoch')}
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
    /// Acknowledges and deletes the entries this consumer still owns, in one call for a batch of finished jobs.
    /// KEYS[1] = stream; ARGV = group, consumer, ids. Returns the ids not acknowledged (another worker had reclaimed them).
    /// </summary>
    public const string Complete = """
        local owned, lost = {}, {}
        for i = 3, #ARGV do
          local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
          if #p == 1 and p[1][2] == ARGV[2] then
            owned[#owned + 1] = ARGV[i]
          else
            lost[#lost + 1] = ARGV[i]
          end
        end
        if #owned > 0 then
          redis.call('XACK', KEYS[1], ARGV[1], unpack(owned))
          redis.call('XDEL', KEYS[1], unpack(owned))
        end
        return lost
        """;
}
