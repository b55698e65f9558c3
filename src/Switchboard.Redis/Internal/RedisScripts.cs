namespace Switchboard.Redis.Internal;

/// <summary>Lua scripts that must run atomically in Redis.</summary>
internal static class RedisScripts
{
    /// <summary>
    /// Lua functions the job scripts share. A line (<see cref="RedisNames.Line"/>) is a list of "due|job" (due: Unix ms,
    /// 0 for at once); its first job, and only it, is in the queue's stream (fields job and o = ordering key) or, when not
    /// due yet, in the queue's delayed set (member "job\nkey"). <c>schedule</c> puts a line's first job there;
    /// <c>advance</c> takes a finished entry off the head of its line — only if it is that head, so a second completion,
    /// or one from a line that expired meanwhile, changes nothing — and schedules the next one, or puts the retry in its
    /// place.
    /// </summary>
    private const string LineFunctions = """
        local function schedule(stream, delayed, key, element, now)
          local sep = string.find(element, '|', 1, true)
          local due = tonumber(string.sub(element, 1, sep - 1))
          local job = string.sub(element, sep + 1)
          if due > now then
            redis.call('ZADD', delayed, due, job .. '\n' .. key)
          else
            redis.call('XADD', stream, '*', 'job', job, 'o', key)
          end
        end
        local function advance(stream, delayed, line, key, id, retry, now, expiry)
          local entry = redis.call('XRANGE', stream, id, id)
          local job = false
          if #entry == 1 then
            local fields = entry[1][2]
            for f = 1, #fields, 2 do
              if fields[f] == 'job' then job = fields[f + 1] end
            end
          end
          local head = redis.call('LINDEX', line, 0)
          if head and job and string.sub(head, string.find(head, '|', 1, true) + 1) == job then
            if retry then
              redis.call('LSET', line, 0, retry)
              schedule(stream, delayed, key, retry, now)
            else
              redis.call('LPOP', line)
              local nxt = redis.call('LINDEX', line, 0)
              if nxt then schedule(stream, delayed, key, nxt, now) end
            end
          elseif retry then
            if redis.call('RPUSH', line, retry) == 1 then schedule(stream, delayed, key, retry, now) end
          end
          redis.call('PEXPIRE', line, expiry)
        end

        """;

    /// <summary>
    /// Adds a job with an ordering key at the end of its line; first in line, it goes to the stream (or the delayed set)
    /// at once. KEYS[1] = line, KEYS[2] = stream, KEYS[3] = delayed set; ARGV[1] = ordering key, ARGV[2] = "due|job",
    /// ARGV[3] = now (ms), ARGV[4] = line expiry (ms). Returns the line's length.
    /// </summary>
    public const string EnqueueInLine = LineFunctions + """
        local n = redis.call('RPUSH', KEYS[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        if n == 1 then
          schedule(KEYS[2], KEYS[3], ARGV[1], ARGV[2], tonumber(ARGV[3]))
        end
        return n
        """;

    /// <summary>
    /// Moves a queue's due delayed jobs to its stream (a job of a line with its field o). KEYS[1] = delayed set,
    /// KEYS[2] = stream; ARGV[1] = now (ms), ARGV[2] = batch size. Returns how many moved.
    /// </summary>
    public const string MoveDue = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for _, member in ipairs(due) do
          local nl = string.find(member, '\n', 1, true)
          if nl then
            redis.call('XADD', KEYS[2], '*', 'job', string.sub(member, 1, nl - 1), 'o', string.sub(member, nl + 1))
          else
            redis.call('XADD', KEYS[2], '*', 'job', member)
          end
          redis.call('ZREM', KEYS[1], member)
        end
        return #due
        """;

    /// <summary>
    /// Moves a dead letter back to its queue: deletes the entry and, only if it was there, adds the job to the queue's
    /// stream, or to the end of its line when it has an ordering key. KEYS[1] = dead-letter stream, KEYS[2] = queue
    /// stream, KEYS[3] = delayed set, KEYS[4] = line (with a key); ARGV[1] = entry id, ARGV[2] = job, ARGV[3] = ordering
    /// key ('' for none), ARGV[4] = now (ms), ARGV[5] = line expiry (ms). Returns 1 when re-queued, 0 when the entry was
    /// gone (another call re-queued it).
    /// </summary>
    public const string RequeueDeadLetter = LineFunctions + """
        if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then
          return 0
        end
        if ARGV[3] == '' then
          redis.call('XADD', KEYS[2], '*', 'job', ARGV[2])
        else
          local element = '0|' .. ARGV[2]
          if redis.call('RPUSH', KEYS[4], element) == 1 then
            schedule(KEYS[2], KEYS[3], ARGV[3], element, tonumber(ARGV[4]))
          end
          redis.call('PEXPIRE', KEYS[4], ARGV[5])
        end
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

    /// <summary>
    /// <see cref="Publish"/> for a Redis Cluster: the same, with <c>SPUBLISH</c> on sharded channels. Every key and the
    /// channel of one call must be in one hash slot (<see cref="RedisNames.TopicMeta"/>: one topic's tag), so on a
    /// cluster a call carries the messages of one slot, each message for one topic (<see cref="RedisPublishBatcher"/>).
    /// </summary>
    public static readonly string ShardedPublish = Publish.Replace("redis.call('PUBLISH',", "redis.call('SPUBLISH',", StringComparison.Ordinal);

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
    /// Returns the ids another consumer holds now. An id no longer pending at all is not reported: its ack (sent by this
    /// process's ack batcher while the renewal was on its way) got there first — if another worker had reclaimed and
    /// finished it instead, that worker logged the reclaim.
    /// </summary>
    public const string Renew = """
        local lost = {}
        for i = 3, #ARGV do
          local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
          if #p == 1 then
            if p[1][2] == ARGV[2] then
              redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
            else
              table.insert(lost, ARGV[i])
            end
          end
        end
        return lost
        """;

    /// <summary>
    /// Acknowledges and deletes the entries this consumer still owns, in one call for a batch of finished jobs, and moves
    /// the line of each one that has an ordering key on to its next job. KEYS[1] = stream, KEYS[2] = delayed set,
    /// KEYS[3..] = the line of each entry with an ordering key, in order; ARGV[1] = group, ARGV[2] = consumer,
    /// ARGV[3] = now (ms), ARGV[4] = line expiry (ms), then per entry: id, ordering key ('' for none). An id given twice
    /// counts once. Returns the ids not acknowledged (another worker had reclaimed them: its completion advances the line).
    /// </summary>
    public const string Complete = LineFunctions + """
        local stream, delayed, group, consumer = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
        local now, expiry = tonumber(ARGV[3]), ARGV[4]
        local owned, lost, seen = {}, {}, {}
        local k = 2
        for i = 5, #ARGV, 2 do
          local id, key = ARGV[i], ARGV[i + 1]
          local line = false
          if key ~= '' then
            k = k + 1
            line = KEYS[k]
          end
          if not seen[id] then
            seen[id] = true
            local p = redis.call('XPENDING', stream, group, id, id, 1)
            if #p == 1 and p[1][2] == consumer then
              owned[#owned + 1] = id
              if line then
                advance(stream, delayed, line, key, id, false, now, expiry)
              end
            else
              lost[#lost + 1] = id
            end
          end
        end
        if #owned > 0 then
          redis.call('XACK', stream, group, unpack(owned))
          redis.call('XDEL', stream, unpack(owned))
        end
        return lost
        """;

    /// <summary>
    /// Gives back a job of a line that this consumer still owns: its retry takes its place at the head of the line (to
    /// the stream, or the delayed set until due) and the entry is acknowledged and deleted, atomically. KEYS[1] = stream,
    /// KEYS[2] = delayed set, KEYS[3] = line; ARGV[1] = group, ARGV[2] = consumer, ARGV[3] = entry id, ARGV[4] = ordering
    /// key, ARGV[5] = retry ("due|job"), ARGV[6] = now (ms), ARGV[7] = line expiry (ms). Returns 1, or 0 when the entry
    /// was no longer this consumer's (another worker reclaimed it and will finish it).
    /// </summary>
    public const string AbandonInLine = LineFunctions + """
        local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
        if #p ~= 1 or p[1][2] ~= ARGV[2] then
          return 0
        end
        advance(KEYS[1], KEYS[2], KEYS[3], ARGV[4], ARGV[3], ARGV[5], tonumber(ARGV[6]), ARGV[7])
        redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
        redis.call('XDEL', KEYS[1], ARGV[3])
        return 1
        """;

    /// <summary>
    /// Live topic membership of one window (KEYS[1]: its topic list, a JSON array): ARGV[1] a JSON array of topics to
    /// add, ARGV[2] of topics to remove, ARGV[3] the new time to live in ms. Returns the new list, or nil when the key is
    /// gone (an expired page is never recreated). cjson writes an empty table as {}, hence the literal [].
    /// </summary>
    public const string ChangeTopics = """
        local current = redis.call('GET', KEYS[1])
        if not current then return false end
        local removed = {}
        for _, t in ipairs(cjson.decode(ARGV[2])) do removed[t] = true end
        local seen, topics = {}, {}
        for _, t in ipairs(cjson.decode(current)) do
          if not removed[t] and not seen[t] then seen[t] = true; topics[#topics + 1] = t end
        end
        for _, t in ipairs(cjson.decode(ARGV[1])) do
          if not removed[t] and not seen[t] then seen[t] = true; topics[#topics + 1] = t end
        end
        local value = '[]'
        if #topics > 0 then value = cjson.encode(topics) end
        redis.call('SET', KEYS[1], value, 'PX', ARGV[3])
        return value
        """;
}
