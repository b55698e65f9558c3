using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Sends one node's concurrent publishes to Redis in one <see cref="RedisScripts.Publish"/> call: the first publish is
/// sent at once; those that arrive while a call is in flight go together in the next one (at most
/// <see cref="MaxBatch"/>). Calls never overlap and a batch is sequenced in arrival order, so a caller that awaits each
/// publish before the next keeps its order in every topic, and other nodes' messages interleave as they always did
/// (each script call is atomic, as each single publish was). On a Redis Cluster a call may only touch one hash slot: a
/// batch is split into one call per slot, sent together, and a message for several topics becomes one sequenced
/// publish per topic (each topic still in order; a window subscribed to several of them drops the copies by signal id,
/// as it does on a single server where each channel delivers the message too).
/// </summary>
internal sealed class RedisPublishBatcher(RedisConnection connection, RedisClusterMode mode, TimeProvider time, IOptions<SwitchboardOptions> options)
{
    /// <summary>Messages per script call: bounds how long one call holds Redis.</summary>
    public const int MaxBatch = 64;

    private readonly Lock _gate = new();
    private List<Pending> _pending = [];
    private bool _flushing;

    /// <summary>Whether this deployment is a cluster (shared with the broker's subscriptions).</summary>
    public RedisClusterMode Mode => mode;

    /// <summary>Queues a message for its topics (distinct, at least one); completes once Redis sequenced and published it.</summary>
    public Task PublishAsync(string[] topics, ReadOnlyMemory<byte> body)
    {
        var message = new Pending(topics, body);
        bool start;
        lock (_gate)
        {
            _pending.Add(message);
            start = !_flushing;
            _flushing = true;
        }
        if (start)
        {
            // Idle: this caller sends at once (no thread hop), as an unbatched publish did.
            _ = FlushLoopAsync();
        }
        return message.Done.Task;
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _flushing = false;
                    return;
                }
                if (_pending.Count <= MaxBatch)
                {
                    batch = _pending;
                    _pending = [];
                }
                else
                {
                    batch = _pending.GetRange(0, MaxBatch);
                    _pending.RemoveRange(0, MaxBatch);
                }
            }
            await SendAsync(batch);
        }
    }

    private async Task SendAsync(List<Pending> batch)
    {
        bool cluster;
        try
        {
            cluster = await mode.IsClusterAsync();
        }
        catch (Exception e)
        {
            foreach (var message in batch)
            {
                message.Done.TrySetException(e);
            }
            return;
        }
        if (!cluster)
        {
            await SendCallAsync([.. batch.Select(m => new Part(m.Topics, m))], sharded: false);
            return;
        }
        // One part per topic, grouped by hash slot in arrival order; the calls of different slots run side by side.
        var multiplexer = await connection.GetAsync();
        var calls = new List<Task>();
        foreach (var slot in batch.SelectMany(m => m.Topics.Select(t => new Part([t], m)))
                     .GroupBy(p => multiplexer.HashSlot(connection.Names.TopicMeta(p.Topics[0]))))
        {
            calls.Add(SendCallAsync([.. slot], sharded: true));
        }
        await Task.WhenAll(calls);
    }

    /// <summary>One script call; each part reports to its message (which completes when all its parts did).</summary>
    private async Task SendCallAsync(Part[] parts, bool sharded)
    {
        RedisResult[] failures;
        try
        {
            failures = await EvaluateAsync(parts, sharded);
        }
        catch (Exception e)
        {
            // Nothing of the call is known to be published: each caller gets the failure (and may retry).
            foreach (var part in parts)
            {
                part.Message.Fail(e);
            }
            return;
        }
        // [index, error, index, error, ...] of the messages that failed (e.g. a topic key of the wrong type).
        var failed = new bool[parts.Length];
        for (var i = 0; i + 1 < failures.Length; i += 2)
        {
            var index = (int)failures[i] - 1;
            failed[index] = true;
            parts[index].Message.Fail(new InvalidOperationException("Redis refused the publish: " + (string?)failures[i + 1]));
        }
        for (var i = 0; i < parts.Length; i++)
        {
            if (!failed[i])
            {
                parts[i].Message.PartDone(parts[i].Topics.Length);
            }
        }
    }

    private async Task<RedisResult[]> EvaluateAsync(Part[] parts, bool sharded)
    {
        var history = options.Value.History;
        var ttl = (long)history.IdleTimeToLive.TotalMilliseconds;
        var keyCount = 0;
        var argCount = RedisScripts.PublishFixedArgs;
        foreach (var part in parts)
        {
            keyCount += 2 * part.Topics.Length;
            argCount += 2 + 2 * part.Topics.Length;
        }
        var keys = new RedisKey[keyCount];
        var args = new RedisValue[argCount];
        args[0] = Math.Max(1, history.MaxLength);
        args[1] = ttl + RefreshStep(ttl);
        args[2] = RefreshStep(ttl);
        args[3] = Guid.NewGuid().ToString("N")[..12];
        args[4] = time.GetUtcNow().ToUnixTimeMilliseconds();
        args[5] = parts.Length;
        int k = 0, a = RedisScripts.PublishFixedArgs;
        foreach (var part in parts)
        {
            var topics = part.Topics;
            args[a++] = topics.Length;
            args[a++] = part.Message.Body;
            foreach (var topic in topics)
            {
                keys[k++] = connection.Names.TopicMeta(topic);
                keys[k++] = connection.Names.TopicHistory(topic);
                args[a++] = topic;
            }
            foreach (var topic in topics)
            {
                args[a++] = connection.Names.Channel(topic);
            }
        }
        var db = await connection.DatabaseAsync();
        return (RedisResult[])(await db.ScriptEvaluateAsync(sharded ? RedisScripts.ShardedPublish : RedisScripts.Publish, keys, args))!;
    }

    /// <summary>
    /// How often a busy topic's keys get their time-to-live refreshed: a sixteenth of it. They are given that much
    /// extra, so a topic still lives at least <see cref="HistoryOptions.IdleTimeToLive"/> after its last message.
    /// </summary>
    public static long RefreshStep(long ttl) => Math.Max(1, ttl / 16);

    /// <summary>What one script call publishes of a message: all its topics, or (on a cluster) one.</summary>
    private readonly record struct Part(string[] Topics, Pending Message);

    /// <summary>A caller's message: done when every part is published, failed when any part failed.</summary>
    private sealed class Pending(string[] topics, ReadOnlyMemory<byte> body)
    {
        private int _remaining = topics.Length;

        public string[] Topics { get; } = topics;

        public ReadOnlyMemory<byte> Body { get; } = body;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Fail(Exception e) => Done.TrySetException(e);

        /// <summary>A part was published: its topics are done.</summary>
        public void PartDone(int topicCount)
        {
            if (Interlocked.Add(ref _remaining, -topicCount) <= 0)
            {
                Done.TrySetResult();
            }
        }
    }
}
