using System.Net;
using System.Text;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// Two broker nodes on a 3-master Redis Cluster with topics on every shard: each topic's messages reach the other node
/// in sequence order, multi-topic publishes included (one sequenced publish per topic), over sharded channels
/// (<c>SSUBSCRIBE</c> on the shard that holds the topic), never classic ones.
/// </summary>
[RedisCluster]
public sealed class ClusterShardedPubSubTests(RedisClusterFixture redis) : IClassFixture<RedisClusterFixture>, IAsyncLifetime
{
    private const int TopicsPerShard = 2;
    private const int Messages = 20;

    private readonly RedisBrokerNodes _nodes = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task TwoNodesExchangeEveryTopicInOrderOverShardedChannelsOfEveryShard()
    {
        var names = new RedisNames(redis.Prefix);
        var (topics, shards) = TopicsOnEveryShard(names, "order");
        Assert.Equal(3, shards.Count);
        var (publisher, _) = await _nodes.StartAsync(redis.Options());
        var (subscriber, received) = await _nodes.StartAsync(redis.Options());
        foreach (var topic in topics)
        {
            await subscriber.SubscribeAsync(topic, default).DefaultTimeout();
        }

        // Each shard carries the sharded channels of its own topics, and no classic channel of this prefix exists.
        foreach (var (endpoint, own) in shards)
        {
            var server = redis.Raw.GetServer(endpoint);
            var sharded = ((RedisResult[])(await server.ExecuteAsync("PUBSUB", "SHARDCHANNELS", redis.Prefix + "{t:-str.order-*"))!).Select(c => (string)c!);
            Assert.Equal(own.Select(names.Channel).Order(StringComparer.Ordinal), sharded.Order(StringComparer.Ordinal));
            Assert.Empty((RedisResult[])(await server.ExecuteAsync("PUBSUB", "CHANNELS", redis.Prefix + "*"))!);
        }

        // Every publish queued at once (batches of several slots, split per slot), each topic's in order.
        var sends = new List<Task>();
        for (var i = 1; i <= Messages; i++)
        {
            foreach (var topic in topics)
            {
                sends.Add(publisher.PublishAsync([topic], Encoding.UTF8.GetBytes($"{topic}#{i}"), default).AsTask());
            }
        }
        await Task.WhenAll(sends).DefaultTimeout();
        // One message for two topics of different shards: one sequenced publish per topic.
        var pair = new[] { topics[0], topics[^1] };
        await publisher.PublishAsync(pair, "both"u8.ToArray(), default).DefaultTimeout();

        await received.WaitForCountAsync(topics.Count * Messages + 2).DefaultTimeout();
        foreach (var topic in topics)
        {
            var mine = received.Messages.Where(m => m.Topic == topic).ToList();
            var expected = Enumerable.Range(1, Messages).Select(i => $"{topic}#{i}").ToList();
            if (pair.Contains(topic))
            {
                expected.Add("both");
            }
            Assert.Equal(expected, mine.Select(m => m.Text));
            Assert.Equal(Enumerable.Range(1, expected.Count).Select(i => (long)i), mine.Select(m => m.Position.Sequence));
            Assert.Single(mine.Select(m => m.Position.Epoch).Distinct());
        }
    }

    [Fact]
    public async Task AMultiTopicPublishTouchesOneSlotPerCallAndEachTopicKeepsItsKeysInOneSlot()
    {
        var names = new RedisNames(redis.Prefix);
        var (topics, _) = TopicsOnEveryShard(names, "multi");
        var (node, _) = await _nodes.StartAsync(redis.Options());

        // Topics of every shard in one call: a single script with all their keys would fail with CROSSSLOT.
        await node.PublishAsync(topics, "everywhere"u8.ToArray(), default).DefaultTimeout();

        foreach (var topic in topics)
        {
            var slot = redis.Raw.HashSlot(names.TopicMeta(topic));
            Assert.Equal(slot, redis.Raw.HashSlot(names.TopicHistory(topic)));
            Assert.Equal(slot, redis.Raw.HashSlot(names.Channel(topic)));
            var history = await redis.Db.StreamRangeAsync(names.TopicHistory(topic));
            Assert.Equal(["everywhere"], history.Select(e => (string)e["b"]!));
            Assert.Equal("0-1", (string)history[0].Id!);
        }
    }

    /// <summary>Topics (named after the test) until every master holds <see cref="TopicsPerShard"/> of them, and which master holds which.</summary>
    private (List<string> Topics, Dictionary<EndPoint, List<string>> Shards) TopicsOnEveryShard(RedisNames names, string label)
    {
        var cluster = redis.Raw.GetServers().First(s => s.IsConnected).ClusterConfiguration!;
        var primaries = cluster.Nodes.Count(n => !n.IsReplica && n.Slots.Count > 0);
        var shards = new Dictionary<EndPoint, List<string>>();
        var topics = new List<string>();
        for (var i = 0; shards.Count < primaries || shards.Values.Any(s => s.Count < TopicsPerShard); i++)
        {
            var topic = $"-str.{label}-{i}";
            var node = cluster.GetBySlot(names.TopicMeta(topic))!;
            var own = shards.TryGetValue(node.EndPoint!, out var list) ? list : shards[node.EndPoint!] = [];
            if (own.Count < TopicsPerShard)
            {
                own.Add(topic);
                topics.Add(topic);
            }
        }
        return (topics, shards);
    }
}
