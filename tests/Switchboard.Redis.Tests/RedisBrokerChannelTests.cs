using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests;

/// <summary>
/// What the broker does on the wire: one literal channel <c>{prefix}ch:{topic}</c> per topic, each message being the
/// publishing node's 16-byte id followed by the payload, and a node dropping only its own messages.
/// </summary>
public sealed class RedisBrokerChannelTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly List<RedisConnection> _connections = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [RedisFact]
    public async Task PublishGoesToTheLiteralPrefixedChannelAsNodeIdThenPayload()
    {
        var (node, _) = await StartNodeAsync();
        var topic = "-str.room:a*b?[c]";
        var raw = await RawSubscribeAsync(redis.Prefix + "ch:" + topic);

        await node.PublishAsync(topic, "hello"u8.ToArray(), default).DefaultTimeout();

        var message = await raw.ReadAsync().AsTask().DefaultTimeout();
        Assert.Equal(16 + 5, message.Length);
        Assert.Equal("hello", Encoding.UTF8.GetString(message, 16, 5));
    }

    [RedisFact]
    public async Task SubscriptionIsAPlainChannelSubscriptionNeverAPattern()
    {
        var (node, _) = await StartNodeAsync();
        var topic = "-str.glob*?[x]";

        await node.SubscribeAsync(topic, default).DefaultTimeout();

        // PUBSUB CHANNELS lists channels (SUBSCRIBE), not patterns (PSUBSCRIBE); its argument is a glob, hence the escaping.
        var escaped = System.Text.RegularExpressions.Regex.Replace(redis.Prefix + "ch:" + topic, @"[*?\[\]\\]", m => "\\" + m.Value);
        var channels = (RedisResult[])(await redis.Db.ExecuteAsync("PUBSUB", "CHANNELS", escaped))!;
        Assert.Equal([redis.Prefix + "ch:" + topic], channels.Select(c => (string)c!));

        await node.UnsubscribeAsync(topic, default).DefaultTimeout();
        channels = (RedisResult[])(await redis.Db.ExecuteAsync("PUBSUB", "CHANNELS", escaped))!;
        Assert.Empty(channels);
    }

    [RedisFact]
    public async Task MessageOfAnotherNodeIdOnTheChannelIsDelivered()
    {
        var (node, received) = await StartNodeAsync();
        var topic = "-str.from-outside";
        await node.SubscribeAsync(topic, default).DefaultTimeout();

        var message = Guid.NewGuid().ToByteArray().Concat("outside"u8.ToArray()).ToArray();
        await redis.Raw.GetSubscriber().PublishAsync(RedisChannel.Literal(redis.Prefix + "ch:" + topic), message);

        var got = await received.WaitForAsync(topic, "outside");
        Assert.Equal(topic, got.Topic);
    }

    [RedisFact]
    public async Task OwnMessageReachesRedisButIsNotDeliveredBackToTheNode()
    {
        var (node, received) = await StartNodeAsync();
        var topic = "-str.self";
        await node.SubscribeAsync(topic, default).DefaultTimeout();
        var raw = await RawSubscribeAsync(redis.Prefix + "ch:" + topic);

        await node.PublishAsync(topic, "mine"u8.ToArray(), default).DefaultTimeout();
        var onTheWire = await raw.ReadAsync().AsTask().DefaultTimeout();
        Assert.Equal("mine", Encoding.UTF8.GetString(onTheWire, 16, onTheWire.Length - 16));
        // Marker from "another node", published after: once it arrived, "mine" would have arrived before it.
        await redis.Raw.GetSubscriber().PublishAsync(RedisChannel.Literal(redis.Prefix + "ch:" + topic),
            Guid.NewGuid().ToByteArray().Concat("marker"u8.ToArray()).ToArray());

        await received.WaitForAsync(topic, "marker");
        Assert.DoesNotContain(received.Messages, m => m.Text == "mine");
    }

    [RedisFact]
    public async Task NodesWithAnotherPrefixNeverSeeTheMessages()
    {
        var (publisher, _) = await StartNodeAsync();
        var (samePrefix, sameReceived) = await StartNodeAsync();
        var (otherPrefix, otherReceived) = await StartNodeAsync(prefix: $"t-{Guid.NewGuid():N}:");
        var topic = "-broadcast";
        await samePrefix.SubscribeAsync(topic, default).DefaultTimeout();
        await otherPrefix.SubscribeAsync(topic, default).DefaultTimeout();
        var (otherPublisher, _) = await StartNodeAsync(prefix: null, connectionOf: otherPrefix);

        await publisher.PublishAsync(topic, "same-prefix"u8.ToArray(), default).DefaultTimeout();
        await otherPublisher.PublishAsync(topic, "other-marker"u8.ToArray(), default).DefaultTimeout();

        await sameReceived.WaitForAsync(topic, "same-prefix");
        await otherReceived.WaitForAsync(topic, "other-marker");
        Assert.DoesNotContain(otherReceived.Messages, m => m.Text == "same-prefix");
        Assert.DoesNotContain(sameReceived.Messages, m => m.Text == "other-marker");
    }

    [RedisFact]
    public async Task TooShortMessageOnTheChannelIsIgnored()
    {
        var (node, received) = await StartNodeAsync();
        var topic = "-str.short";
        await node.SubscribeAsync(topic, default).DefaultTimeout();
        var channel = RedisChannel.Literal(redis.Prefix + "ch:" + topic);

        await redis.Raw.GetSubscriber().PublishAsync(channel, "short"u8.ToArray());
        await redis.Raw.GetSubscriber().PublishAsync(channel, Guid.NewGuid().ToByteArray().Concat("marker"u8.ToArray()).ToArray());

        await received.WaitForAsync(topic, "marker");
        Assert.Single(received.Messages);
    }

    private readonly Dictionary<IBroker, SwitchboardRedisOptions> _options = [];

    private async Task<(IBroker Broker, BrokerMessageRecorder Received)> StartNodeAsync(string? prefix = null, IBroker? connectionOf = null)
    {
        var options = connectionOf is not null ? _options[connectionOf] : redis.Options(o => o.Prefix = prefix ?? redis.Prefix);
        var connection = TestRedis.Connection(options);
        _connections.Add(connection);
        var broker = new RedisBroker(connection, NullLogger<RedisBroker>.Instance);
        _options[broker] = options;
        var received = new BrokerMessageRecorder();
        await broker.StartAsync(received.OnMessageAsync, default);
        return (broker, received);
    }

    private async Task<ChannelReader<byte[]>> RawSubscribeAsync(string channel)
    {
        var messages = Channel.CreateUnbounded<byte[]>();
        await redis.Raw.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, value) => messages.Writer.TryWrite((byte[])value!));
        return messages.Reader;
    }
}
