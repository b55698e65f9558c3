using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// <see cref="IBroker"/> over Redis pub/sub: one literal channel per topic, subscribed while a local window needs it.
/// Each message starts with the publishing node's id so a node skips its own messages (it already delivered them
/// locally). Each topic has its own <see cref="ChannelMessageQueue"/>, processed sequentially, so one topic's
/// messages reach local windows in publish order (StackExchange.Redis runs plain handler callbacks concurrently, which
/// reorders them). Subscribing to a topic already subscribed is a no-op, not a second delivery of every message.
/// </summary>
internal sealed partial class RedisBroker(RedisConnection connection, ILogger<RedisBroker> logger) : IBroker
{
    private const int NodeIdLength = 16;
    private readonly byte[] _nodeId = Guid.NewGuid().ToByteArray();
    private readonly ConcurrentDictionary<string, ChannelMessageQueue> _subscribed = new(StringComparer.Ordinal);
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
        var channel = connection.Names.Channel(topic);
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

    public async ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var message = new byte[NodeIdLength + payload.Length];
        _nodeId.CopyTo(message, 0);
        payload.Span.CopyTo(message.AsSpan(NodeIdLength));
        var subscriber = (await connection.GetAsync()).GetSubscriber();
        await subscriber.PublishAsync(connection.Names.Channel(topic), message);
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        var handler = _handler;
        if (handler is null)
        {
            return;
        }
        ReadOnlyMemory<byte> message = (byte[]?)value ?? [];
        if (message.Length < NodeIdLength || message.Span[..NodeIdLength].SequenceEqual(_nodeId))
        {
            return;
        }
        var topic = connection.Names.TopicOf(channel);
        try
        {
            var pending = handler(topic, message[NodeIdLength..]);
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

    [LoggerMessage(EventId = 4101, EventName = "RedisDeliveryFailed", Level = LogLevel.Error,
        Message = "Delivering a message of topic {Topic} from Redis to local windows failed.")]
    private static partial void LogDeliveryFailed(ILogger logger, string topic, Exception exception);
}
