using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// <see cref="IBroker"/> on Redis: a Lua script gives each message its position in each topic (a counter per topic),
/// appends it to the topic's history (a stream with ids <c>0-seq</c>, trimmed by length, entries stamped for age) and
/// publishes it on one channel per topic (literal; sharded on a Redis Cluster, <see cref="RedisClusterMode"/>) — atomically, for a batch of this node's concurrent publishes at a
/// time (<see cref="RedisPublishBatcher"/>), so every node, this one included, receives each topic
/// in sequence order. Each topic has its own <see cref="ChannelMessageQueue"/>, processed sequentially, because
/// StackExchange.Redis runs plain handler callbacks concurrently, which would reorder them. A node receives a message
/// once per subscribed topic, with that topic's position only. Subscribing to a topic already subscribed is a no-op.
/// </summary>
internal sealed partial class RedisBroker(RedisConnection connection, TimeProvider time, IOptions<SwitchboardOptions> options, ILogger<RedisBroker> logger) : IBroker
{
    private readonly ConcurrentDictionary<string, ChannelMessageQueue> _subscribed = new(StringComparer.Ordinal);
    private readonly RedisPublishBatcher _publisher = new(connection, new RedisClusterMode(connection), time, options);
    private BrokerMessageHandler? _handler;

    public ValueTask StartAsync(BrokerMessageHandler handler, CancellationToken cancellationToken)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        return ValueTask.CompletedTask;
    }

    public async ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken)
    {
        if (_subscribed.ContainsKey(topic))
        {
            return;
        }
        var subscriber = (await connection.GetAsync()).GetSubscriber();
        var channel = await _publisher.Mode.ChannelAsync(topic);
        ChannelMessageQueue queue;
        try
        {
            queue = await subscriber.SubscribeAsync(channel);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The multiplexer may keep the queue it could not subscribe on the server (and renew it on reconnect);
            // nobody would read it: drop it.
            await subscriber.UnsubscribeAsync(channel, flags: CommandFlags.FireAndForget);
            throw;
        }
        if (!_subscribed.TryAdd(topic, queue))
        {
            await queue.UnsubscribeAsync();
            return;
        }
        queue.OnMessage(message => OnMessage(message.Channel, message.Message));
    }

    public async ValueTask UnsubscribeAsync(string topic, CancellationToken cancellationToken)
    {
        if (_subscribed.TryRemove(topic, out var queue))
        {
            await queue.UnsubscribeAsync();
        }
    }

    public ValueTask PublishAsync(IReadOnlyList<string> topics, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var distinct = topics.Count == 1 ? [topics[0]] : topics.Distinct(StringComparer.Ordinal).ToArray();
        return distinct.Length == 0 ? ValueTask.CompletedTask : new ValueTask(_publisher.PublishAsync(distinct, body));
    }

    public async ValueTask<TopicPosition> GetPositionAsync(string topic, CancellationToken cancellationToken)
    {
        var db = await connection.DatabaseAsync();
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Position, [connection.Names.TopicMeta(topic)],
            [Guid.NewGuid().ToString("N")[..12] + ".p", Expiry(options.Value.History.IdleTimeToLive)]))!;
        return new TopicPosition((long)result[0], (string)result[1]!);
    }

    public async ValueTask<HistoryRead> ReadAsync(string topic, TopicPosition after, int maxCount, CancellationToken cancellationToken)
    {
        var db = await connection.DatabaseAsync();
        // The head as GetPositionAsync gives it, starting the epoch when the topic has none (its meta was lost with a Redis
        // restart, or expired idle), as the in-memory broker does: a replay that finds nothing then hands the window a real
        // position, not [0, ""] — an epoch no message would ever carry, so the topic's first message would look like an
        // epoch change (a needless resume and recovered false).
        var head = await GetPositionAsync(topic, cancellationToken);
        var sameEpoch = head.Epoch == after.Epoch;
        var from = sameEpoch ? after.Sequence : 0;
        var entries = await db.StreamRangeAsync(connection.Names.TopicHistory(topic), $"0-{from + 1}", "+", maxCount);
        var oldest = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)options.Value.History.MaxAge.TotalMilliseconds;
        var result = new List<HistoryEntry>(entries.Length);
        var firstSeq = long.MaxValue;
        foreach (var entry in entries)
        {
            var stamp = (long)entry["t"];
            if (stamp < oldest)
            {
                continue;
            }
            var seq = long.Parse(((string)entry.Id!)[2..], System.Globalization.CultureInfo.InvariantCulture);
            firstSeq = Math.Min(firstSeq, seq);
            result.Add(new HistoryEntry(new TopicPosition(seq, head.Epoch), (byte[])entry["b"]!));
        }
        var complete = sameEpoch && after.Sequence <= head.Sequence
            && (result.Count > 0 ? firstSeq == after.Sequence + 1 : after.Sequence == head.Sequence);
        return new HistoryRead(complete, result, head);
    }

    /// <summary>A topic's keys' expiry: the idle time-to-live plus the step within which publishes may skip renewing it.</summary>
    private static long Expiry(TimeSpan idleTimeToLive)
    {
        var ttl = (long)idleTimeToLive.TotalMilliseconds;
        return ttl + RedisPublishBatcher.RefreshStep(ttl);
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        var handler = _handler;
        if (handler is null)
        {
            return;
        }
        var topic = connection.Names.TopicOf(channel);
        try
        {
            if (!TryParse((byte[]?)value ?? [], topic, out var delivery))
            {
                LogMalformed(logger, topic);
                return;
            }
            var pending = handler(delivery);
            if (!pending.IsCompletedSuccessfully)
            {
                _ = Observe(pending, topic);
            }
        }
        catch (Exception e)
        {
            LogDeliveryFailed(logger, topic, e);
        }
    }

    /// <summary>"header\nbody": picks this channel's topic position from the header.</summary>
    private static bool TryParse(byte[] message, string topic, out BrokerDelivery delivery)
    {
        delivery = null!;
        var newline = Array.IndexOf(message, (byte)'\n');
        if (newline < 0)
        {
            return false;
        }
        using var header = System.Text.Json.JsonDocument.Parse(message.AsMemory(0, newline));
        var topics = header.RootElement.GetProperty("t");
        for (var i = 0; i < topics.GetArrayLength(); i++)
        {
            if (topics[i].GetString() == topic)
            {
                var seq = header.RootElement.GetProperty("s")[i].GetInt64();
                var epoch = header.RootElement.GetProperty("e")[i].GetString()!;
                delivery = new BrokerDelivery([topic], [new TopicPosition(seq, epoch)], message.AsMemory(newline + 1));
                return true;
            }
        }
        return false;
    }

    private async Task Observe(ValueTask pending, string topic)
    {
        try
        {
            await pending;
        }
        catch (Exception e)
        {
            LogDeliveryFailed(logger, topic, e);
        }
    }

    [LoggerMessage(EventId = 4102, EventName = "RedisMalformedMessage", Level = LogLevel.Error,
        Message = "A message on the channel of topic {Topic} is not a Switchboard message (another publisher on the same prefix?); ignored.")]
    private static partial void LogMalformed(ILogger logger, string topic);

    [LoggerMessage(EventId = 4101, EventName = "RedisDeliveryFailed", Level = LogLevel.Error,
        Message = "Delivering a message of topic {Topic} from Redis to local windows failed.")]
    private static partial void LogDeliveryFailed(ILogger logger, string topic, Exception exception);
}
