using System.Text;
using System.Threading.Channels;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests;

/// <summary>
/// What the broker does on the wire: one literal channel <c>{prefix}{t:TOPIC}:ch</c> per topic (on a single server), each message a JSON header
/// line (topics, sequences, epochs) then the body; prefixed, expiring keys; messages of other publishers delivered,
/// malformed ones ignored. What every broker does (a publisher's own message comes back once, positions) is in
/// <see cref="BrokerConformanceTests"/>.
/// </summary>
public sealed class RedisBrokerChannelTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly RedisBrokerNodes _nodes = new();

    private RedisNames Names => new(redis.Prefix);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [RedisFact]
    public async Task PublishGoesToTheLiteralPrefixedChannelAsHeaderLineThenBody()
    {
        var (node, _) = await StartNodeAsync();
        var topic = "-str.room:a*b?[c]";
        var raw = await RawSubscribeAsync(Names.Channel(topic));

        await node.PublishAsync([topic], "hello"u8.ToArray(), default).DefaultTimeout();

        var message = Encoding.UTF8.GetString(await raw.ReadAsync().AsTask().DefaultTimeout());
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        using var header = System.Text.Json.JsonDocument.Parse(message[..newline]);
        Assert.Equal(topic, header.RootElement.GetProperty("t")[0].GetString());
        Assert.Equal(1, header.RootElement.GetProperty("s")[0].GetInt64());
        Assert.Equal("hello", message[(newline + 1)..]);
    }

    [RedisFact]
    public async Task HistoryAndSequenceKeysArePrefixedAndExpireWhenIdle()
    {
        var (node, _) = await StartNodeAsync();
        var topic = "-str.keys";

        await node.PublishAsync([topic], "kept"u8.ToArray(), default).DefaultTimeout();

        var metaTtl = await redis.Db.KeyTimeToLiveAsync(Names.TopicMeta(topic));
        var historyTtl = await redis.Db.KeyTimeToLiveAsync(Names.TopicHistory(topic));
        Assert.NotNull(metaTtl);
        Assert.NotNull(historyTtl);
        Assert.True(metaTtl > TimeSpan.FromHours(9), $"seq TTL {metaTtl}");
        Assert.Equal(1, await redis.Db.StreamLengthAsync(Names.TopicHistory(topic)));
    }

    [RedisFact]
    public async Task TopicKeysAndChannelShareTheHashTagOfTheTopic()
    {
        var (node, _) = await StartNodeAsync();
        var topic = "-str.slot}{x";

        await node.PublishAsync([topic], "m"u8.ToArray(), default).DefaultTimeout();

        // Redis Cluster hashes the text between the first { and the next } (slots: ClusterShardedPubSubTests).
        var tag = HashTag((string)Names.TopicMeta(topic)!);
        Assert.Equal("t:-str.slot", tag);
        Assert.Equal(tag, HashTag((string)Names.TopicHistory(topic)!));
        Assert.Equal(tag, HashTag(Names.Channel(topic)));
        Assert.True(await redis.Db.KeyExistsAsync(Names.TopicMeta(topic)));
        Assert.True(await redis.Db.KeyExistsAsync(Names.TopicHistory(topic)));
        Assert.Equal(topic, Names.TopicOf(RedisChannel.Literal(Names.Channel(topic))));
    }

    [RedisFact]
    public async Task SubscriptionIsAPlainChannelSubscriptionNeverAPattern()
    {
        var (node, _) = await StartNodeAsync();
        var topic = "-str.glob*?[x]";

        await node.SubscribeAsync(topic, default).DefaultTimeout();

        // PUBSUB CHANNELS lists channels (SUBSCRIBE), not patterns (PSUBSCRIBE); its argument is a glob, hence the escaping.
        var escaped = System.Text.RegularExpressions.Regex.Replace(Names.Channel(topic), @"[*?\[\]\\]", m => "\\" + m.Value);
        var channels = (RedisResult[])(await redis.Db.ExecuteAsync("PUBSUB", "CHANNELS", escaped))!;
        Assert.Equal([Names.Channel(topic)], channels.Select(c => (string)c!));

        await node.UnsubscribeAsync(topic, default).DefaultTimeout();
        channels = (RedisResult[])(await redis.Db.ExecuteAsync("PUBSUB", "CHANNELS", escaped))!;
        Assert.Empty(channels);
    }

    [RedisFact]
    public async Task WellFormedMessageOfAnotherPublisherIsDeliveredWithItsPosition()
    {
        var (node, received) = await StartNodeAsync();
        var topic = "-str.from-outside";
        await node.SubscribeAsync(topic, default).DefaultTimeout();

        await redis.Raw.GetSubscriber().PublishAsync(RedisChannel.Literal(Names.Channel(topic)),
            "{\"t\":[\"" + topic + "\"],\"s\":[7],\"e\":[\"ep\"]}\noutside");

        var got = await received.WaitForAsync(topic, "outside");
        Assert.Equal(new TopicPosition(7, "ep"), got.Position);
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

        await publisher.PublishAsync([topic], "same-prefix"u8.ToArray(), default).DefaultTimeout();
        await otherPublisher.PublishAsync([topic], "other-marker"u8.ToArray(), default).DefaultTimeout();

        await sameReceived.WaitForAsync(topic, "same-prefix");
        await otherReceived.WaitForAsync(topic, "other-marker");
        Assert.DoesNotContain(otherReceived.Messages, m => m.Text == "same-prefix");
        Assert.DoesNotContain(sameReceived.Messages, m => m.Text == "other-marker");
    }

    [RedisFact]
    public async Task MalformedMessageOnTheChannelIsIgnored()
    {
        var (node, received) = await StartNodeAsync();
        var topic = "-str.short";
        await node.SubscribeAsync(topic, default).DefaultTimeout();
        var channel = RedisChannel.Literal(Names.Channel(topic));

        await redis.Raw.GetSubscriber().PublishAsync(channel, "no header line");
        await redis.Raw.GetSubscriber().PublishAsync(channel, "{\"t\":[\"-str.other\"],\"s\":[1],\"e\":[\"x\"]}\nnot for this topic");
        await node.PublishAsync([topic], "marker"u8.ToArray(), default).DefaultTimeout();

        await received.WaitForAsync(topic, "marker");
        Assert.Single(received.Messages);
    }

    private static string HashTag(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        return key[(open + 1)..key.IndexOf('}', open + 1)];
    }

    private Task<(IBroker Broker, BrokerMessageRecorder Received)> StartNodeAsync(string? prefix = null, IBroker? connectionOf = null) =>
        _nodes.StartAsync(connectionOf is not null ? _nodes.OptionsOf(connectionOf) : redis.Options(o => o.Prefix = prefix ?? redis.Prefix));

    private async Task<ChannelReader<byte[]>> RawSubscribeAsync(string channel)
    {
        var messages = Channel.CreateUnbounded<byte[]>();
        await redis.Raw.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, value) => messages.Writer.TryWrite((byte[])value!));
        return messages.Reader;
    }
}
