using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Sends one node's concurrent publishes to Redis in one <see cref="RedisScripts.Publish"/> call: the first publish is
/// sent at once; those that arrive while a call is in flight go together in the next one (at most
/// <see cref="MaxBatch"/>). Calls never overlap and a batch is sequenced in arrival order, so a caller that awaits each
/// publish before the next keeps its order in every topic, and other nodes' messages interleave as they always did
/// (each script call is atomic, as each single publish was).
/// </summary>
internal sealed class RedisPublishBatcher(RedisConnection connection, TimeProvider time, IOptions<SwitchboardOptions> options)
{
    /// <summary>Messages per script call: bounds how long one call holds Redis.</summary>
    public const int MaxBatch = 64;

    private readonly Lock _gate = new();
    private List<(string[] Topics, ReadOnlyMemory<byte> Body, TaskCompletionSource Done)> _pending = [];
    private bool _flushing;

    /// <summary>Queues a message for its topics (distinct, at least one); completes once Redis sequenced and published it.</summary>
    public Task PublishAsync(string[] topics, ReadOnlyMemory<byte> body)
    {
        var message = (Topics: topics, Body: body, Done: new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
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
            List<(string[] Topics, ReadOnlyMemory<byte> Body, TaskCompletionSource Done)> batch;
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

    private async Task SendAsync(List<(string[] Topics, ReadOnlyMemory<byte> Body, TaskCompletionSource Done)> batch)
    {
        RedisResult[] failures;
        try
        {
            failures = await EvaluateAsync(batch);
        }
        catch (Exception e)
        {
            // Nothing of the batch is known to be published: each caller gets the failure (and may retry).
            foreach (var message in batch)
            {
                message.Done.TrySetException(e);
            }
            return;
        }
        // [index, error, index, error, ...] of the messages that failed (e.g. a topic key of the wrong type).
        for (var i = 0; i + 1 < failures.Length; i += 2)
        {
            batch[(int)failures[i] - 1].Done.TrySetException(new InvalidOperationException("Redis refused the publish: " + (string?)failures[i + 1]));
        }
        foreach (var message in batch)
        {
            message.Done.TrySetResult();
        }
    }

    private async Task<RedisResult[]> EvaluateAsync(List<(string[] Topics, ReadOnlyMemory<byte> Body, TaskCompletionSource Done)> batch)
    {
        var history = options.Value.History;
        var ttl = (long)history.IdleTimeToLive.TotalMilliseconds;
        var keyCount = 0;
        var argCount = RedisScripts.PublishFixedArgs;
        foreach (var message in batch)
        {
            keyCount += 2 * message.Topics.Length;
            argCount += 2 + 2 * message.Topics.Length;
        }
        var keys = new RedisKey[keyCount];
        var args = new RedisValue[argCount];
        args[0] = Math.Max(1, history.MaxLength);
        args[1] = ttl + RefreshStep(ttl);
        args[2] = RefreshStep(ttl);
        args[3] = Guid.NewGuid().ToString("N")[..12];
        args[4] = time.GetUtcNow().ToUnixTimeMilliseconds();
        args[5] = batch.Count;
        int k = 0, a = RedisScripts.PublishFixedArgs;
        foreach (var message in batch)
        {
            var topics = message.Topics;
            args[a++] = topics.Length;
            args[a++] = message.Body;
            foreach (var topic in topics)
            {
                keys[k++] = connection.Names.TopicMeta(topic);
                keys[k++] = connection.Names.TopicHistory(topic);
                args[a++] = topic;
            }
            foreach (var topic in topics)
            {
                args[a++] = connection.Names.Channel(topic).ToString();
            }
        }
        var db = await connection.DatabaseAsync();
        return (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Publish, keys, args))!;
    }

    /// <summary>
    /// How often a busy topic's keys get their time-to-live refreshed: a sixteenth of it. They are given that much
    /// extra, so a topic still lives at least <see cref="HistoryOptions.IdleTimeToLive"/> after its last message.
    /// </summary>
    public static long RefreshStep(long ttl) => Math.Max(1, ttl / 16);
}
