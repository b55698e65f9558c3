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
    /// Moves a dead letter back to its queue: deletes the entry and, only if it was there, adds the job to the queue's
    /// stream. KEYS[1] = dead-letter stream, KEYS[2] = queue stream; ARGV[1] = entry id, ARGV[2] = job field,
    /// ARGV[3] = job. Returns 1 when re-queued, 0 when the entry was gone (another call re-queued it).
    /// </summary>
    public const string RequeueDeadLetter = """
        if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then
          return 0
        end
        redis.call('XADD', KEYS[2], '*', ARGV[2], ARGV[3])
        return 1
        """;

    /// <summary>Arguments of <see cref="Publish"/> before the first message.</summary>
    public const int PublishFixedArgs = 6;

    /// <summary>
    /// Sequences a batch of messages, in order, in each of their topics, appends each to its topics' histories and
    /// publishes it, atomically, so every node receives each topic's messages in sequence order. KEYS = meta, history
    /// for each topic of each message; ARGV[1] = max length, ARGV[2] = expiry of idle topics (ms), ARGV[3] = refresh
    /// step (ms), ARGV[4] = epoch candidate, ARGV[5] = now (ms), ARGV[6] = message count, then for each message: its
    /// topic count n, body, n topics, n channels. Each channel gets "header\nbody" with the header
    /// {"t":[topics],"s":[seqs],"e":[epochs]}. A topic's keys get their expiry renewed only when the last renewal
    /// (field r, publisher time) is a step old, or from a clock behind it, not twice per
    /// message. Returns [index, error, ...] of the messages that failed; the others were published.
    /// </summary>
    public const string Publish = """
        local maxlen, expiry, step, candidate, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
        local nowms = tonumber(now)
        local failed = {}
        local k, a = 0, 7
        for m = 1, tonumber(ARGV[6]) do
          local n = tonumber(ARGV[a])
          local body = ARGV[a + 1]
          local ok, err = pcall(function()
            local seqs, epochs, topics = {}, {}, {}
            for i = 1, n do
              local meta, history = KEYS[k + 2 * i - 1], KEYS[k + 2 * i]
              local seq = redis.call('HINCRBY', meta, 'seq', 1)
              local state = redis.call('HMGET', meta, 'epoch', 'r')
              local epoch = state[1]
              if not epoch then
                epoch = candidate .. '.' .. (k / 2 + i)
                redis.call('HSET', meta, 'epoch', epoch)
              end
              redis.call('XADD', history, 'MAXLEN', '~', maxlen, '0-' .. seq, 'b', body, 't', now)
              local r = tonumber(state[2])
              if not r or nowms - r >= step or nowms < r then
                redis.call('HSET', meta, 'r', now)
                redis.call('PEXPIRE', meta, expiry)
                redis.call('PEXPIRE', history, expiry)
              end
              seqs[i], epochs[i], topics[i] = seq, epoch, ARGV[a + 1 + i]
            end
            local header = cjson.encode({t = topics, s = seqs, e = epochs})
            for i = 1, n do
              redis.call('PUBLISH', ARGV[a + 1 + n + i], header .. '\n' .. body)
            end
          end)
          if not ok then
            failed[#failed + 1] = m
            failed[#failed + 1] = type(err) == 'table' and (err.err or 'ERR publish failed') or tostring(err)
          end
          k = k + 2 * n
          a = a + 2 + 2 * n
        end
        return failed
        """;

    /// <summary>A topic's position, starting its epoch if it has none. KEYS[1] = meta; ARGV = epoch candidate, expiry (ms).</summary>
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
