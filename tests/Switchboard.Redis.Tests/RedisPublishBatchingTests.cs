using System.Text;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests;

/// <summary>
/// Concurrent publishes of one node share script calls: every node still receives each topic's messages exactly once,
/// in sequence order, the history holds the same order, and a caller that awaits each publish keeps its order.
/// </summary>
public sealed class RedisPublishBatchingTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly RedisBrokerNodes _nodes = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [RedisFact]
    public async Task ConcurrentPublishesOfTwoNodesArriveOnBothInOneSequenceOrderWithEachCallersOrderKept()
    {
        const int Sequential = 60;
        const int Burst = 100;
        var topic = "-str.batch-" + Guid.NewGuid().ToString("N");
        var other = "-str.batch-other-" + Guid.NewGuid().ToString("N");
        var (a, receivedA) = await StartNodeAsync();
        var (b, receivedB) = await StartNodeAsync();
        foreach (var node in new[] { a, b })
        {
            await node.SubscribeAsync(topic, default).DefaultTimeout();
            await node.SubscribeAsync(other, default).DefaultTimeout();
        }

        // On each node a caller awaiting each publish, while a burst of un-awaited publishes (some to two topics)
        // fills the batches around it.
        async Task SequentialAsync(IBroker node, string name)
        {
            for (var i = 0; i < Sequential; i++)
            {
                await node.PublishAsync([topic], Encoding.UTF8.GetBytes($"{name}-{i}"), default);
            }
        }
        var bursts = new List<Task>();
        foreach (var (node, name) in new[] { (a, "x"), (b, "y") })
        {
            for (var i = 0; i < Burst; i++)
            {
                IReadOnlyList<string> topics = i % 3 == 0 ? [topic, other] : [topic];
                bursts.Add(node.PublishAsync(topics, Encoding.UTF8.GetBytes($"{name}-{i}"), default).AsTask());
            }
        }
        await Task.WhenAll([SequentialAsync(a, "a"), SequentialAsync(b, "b"), .. bursts]).DefaultTimeout();

        var total = 2 * (Sequential + Burst);
        var toOther = 2 * ((Burst + 2) / 3);
        await receivedA.WaitForCountAsync(total + toOther).DefaultTimeout();
        await receivedB.WaitForCountAsync(total + toOther).DefaultTimeout();

        var onA = receivedA.Messages.Where(m => m.Topic == topic).ToList();
        var onB = receivedB.Messages.Where(m => m.Topic == topic).ToList();
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), onA.Select(m => m.Position.Sequence));
        Assert.Equal(onA.Select(m => m.Text), onB.Select(m => m.Text));
        Assert.Equal(total, onA.Select(m => m.Text).Distinct().Count());
        foreach (var name in new[] { "a", "b" })
        {
            Assert.Equal(Enumerable.Range(0, Sequential).Select(i => $"{name}-{i}"), onA.Select(m => m.Text).Where(t => t.StartsWith(name + "-", StringComparison.Ordinal)));
        }
        var otherOnA = receivedA.Messages.Where(m => m.Topic == other).ToList();
        Assert.Equal(Enumerable.Range(1, toOther).Select(i => (long)i), otherOnA.Select(m => m.Position.Sequence));
        Assert.Equal(otherOnA.Select(m => m.Text), receivedB.Messages.Where(m => m.Topic == other).Select(m => m.Text));

        var history = await a.ReadAsync(topic, new TopicPosition(0, onA[0].Position.Epoch), total, default).DefaultTimeout();
        Assert.True(history.Complete);
        Assert.Equal(onA.Select(m => m.Text), history.Entries.Select(e => Encoding.UTF8.GetString(e.Body.Span)));
    }

    [RedisFact]
    public async Task BusyTopicKeysKeepAnExpiryOfAtLeastTheIdleTimeToLive()
    {
        var topic = "-str.ttl-" + Guid.NewGuid().ToString("N");
        var (node, _) = await StartNodeAsync(o => o.History.IdleTimeToLive = TimeSpan.FromMinutes(16));
        for (var i = 0; i < 20; i++)
        {
            await node.PublishAsync([topic], "m"u8.ToArray(), default).DefaultTimeout();
        }
        // Renewed at the first message (none since: a step is a minute), with a minute of slack.
        await redis.Db.KeyExpireAsync(new RedisNames(redis.Prefix).TopicMeta(topic), TimeSpan.FromMinutes(5));
        await redis.Db.HashSetAsync(new RedisNames(redis.Prefix).TopicMeta(topic), "r", DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds());

        await node.PublishAsync([topic], "after a step"u8.ToArray(), default).DefaultTimeout();

        var names = new RedisNames(redis.Prefix);
        foreach (var key in new[] { names.TopicMeta(topic), names.TopicHistory(topic) })
        {
            var ttl = await redis.Db.KeyTimeToLiveAsync(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromMinutes(16), TimeSpan.FromMinutes(17));
        }
        Assert.Equal(21, await redis.Db.StreamLengthAsync(names.TopicHistory(topic)));
    }

    private Task<(IBroker Broker, BrokerMessageRecorder Received)> StartNodeAsync(Action<SwitchboardOptions>? configure = null)
    {
        var options = new SwitchboardOptions();
        configure?.Invoke(options);
        return _nodes.StartAsync(redis.Options(), options);
    }
}
