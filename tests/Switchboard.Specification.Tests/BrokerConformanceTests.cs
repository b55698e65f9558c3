using System.Text;

namespace Switchboard.Specification.Tests;

/// <summary>
/// The contract of <see cref="IBroker"/>, run against every implementation. A derived class supplies nodes that share
/// one backend, with <see cref="History"/> as their history options. Negative checks ("X is not delivered") never sleep: after the message that must not arrive, the test
/// publishes a marker the receiver does get, and waits for it. This relies on one publisher's messages reaching a
/// subscriber in the order they were published (and on causality: a message a node received before it published
/// something reached every subscriber first), which every broker built on one ordered connection per node provides.
/// </summary>
public abstract partial class BrokerConformanceTests : IAsyncLifetime
{
    private readonly List<IBroker> _created = [];

    /// <summary>Creates <paramref name="count"/> nodes sharing one backend, not yet started, using <see cref="History"/>.</summary>
    protected abstract Task<IBroker[]> CreateNodesAsync(int count);

    /// <summary>The history options the nodes must use: short, so trimming can be tested.</summary>
    protected static HistoryOptions History { get; } = new() { MaxLength = 10, MaxAge = TimeSpan.FromMinutes(5) };

    /// <summary>Releases a node created by <see cref="CreateNodesAsync"/>; by default disposes it.</summary>
    protected virtual ValueTask DisposeNodeAsync(IBroker node) => Disposal.DisposeAsync(node);

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        foreach (var node in _created)
        {
            await DisposeNodeAsync(node);
        }
    }

    [Fact]
    public async Task MessageReachesSubscribedNodeByteForByte()
    {
        var (a, b) = await StartPairAsync();
        var topic = NewTopic("exact");
        await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();
        var payload = new byte[256 + 70_000];
        for (var i = 0; i < 256; i++)
        {
            payload[i] = (byte)i;
        }
        new Random(1234).NextBytes(payload.AsSpan(256));

        await a.Broker.PublishAsync([topic], payload, default).DefaultTimeout();

        var received = await b.Received.WaitForTopicAsync(topic);
        Assert.Equal(topic, received.Topic);
        Assert.Equal(payload, received.Payload);
    }

    [Fact]
    public async Task EmptyPayloadIsDeliveredAsEmpty()
    {
        var (a, b) = await StartPairAsync();
        var topic = NewTopic("empty");
        await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();

        await a.Broker.PublishAsync([topic], ReadOnlyMemory<byte>.Empty, default).DefaultTimeout();

        var received = await b.Received.WaitForTopicAsync(topic);
        Assert.Empty(received.Payload);
    }

    [Fact]
    public async Task MessageReachesEverySubscribedNode()
    {
        var nodes = await StartNodesAsync(3);
        var topic = NewTopic("fanout");
        await nodes[1].Broker.SubscribeAsync(topic, default).DefaultTimeout();
        await nodes[2].Broker.SubscribeAsync(topic, default).DefaultTimeout();

        await Publish(nodes[0], topic, "to-all");

        await nodes[1].Received.WaitForAsync(topic, "to-all");
        await nodes[2].Received.WaitForAsync(topic, "to-all");
    }

    [Fact]
    public async Task PublisherReceivesItsOwnMessageOnceWhenSubscribed()
    {
        var (a, b) = await StartPairAsync();
        var topic = NewTopic("self");
        var marker = NewTopic("marker");
        await a.Broker.SubscribeAsync(topic, default).DefaultTimeout();
        await a.Broker.SubscribeAsync(marker, default).DefaultTimeout();
        await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();

        await Publish(a, topic, "from-a");
        await a.Received.WaitForAsync(topic, "from-a");
        await b.Received.WaitForAsync(topic, "from-a");
        await Publish(a, marker, "marker");
        await a.Received.WaitForAsync(marker, "marker");

        Assert.Single(a.Received.Messages, m => m.Text == "from-a");
        Assert.Single(b.Received.Messages, m => m.Text == "from-a");
    }

    [Fact]
    public async Task PositionsCountFromOneInEachTopicAndEveryNodeSeesTheSame()
    {
        var (a, b) = await StartPairAsync();
        var (t1, t2) = (NewTopic("pos1"), NewTopic("pos2"));
        foreach (var node in new[] { a, b })
        {
            await node.Broker.SubscribeAsync(t1, default).DefaultTimeout();
            await node.Broker.SubscribeAsync(t2, default).DefaultTimeout();
        }

        await Publish(a, t1, "x1");
        await Publish(b, t1, "x2");
        await a.Broker.PublishAsync([t1, t2], "both"u8.ToArray(), default).DefaultTimeout();

        foreach (var node in new[] { a, b })
        {
            var last1 = await node.Received.WaitForAsync(t1, "both");
            var last2 = await node.Received.WaitForAsync(t2, "both");
            Assert.Equal(3, last1.Position.Sequence);
            Assert.Equal(1, last2.Position.Sequence);
            Assert.Equal([1L, 2L, 3L], node.Received.Messages.Where(m => m.Topic == t1).Select(m => m.Position.Sequence));
            Assert.Single(node.Received.Messages.Where(m => m.Topic == t1).Select(m => m.Position.Epoch).Distinct());
        }
        Assert.Equal(a.Received.Messages.Where(m => m.Topic == t1).Select(m => m.Text), b.Received.Messages.Where(m => m.Topic == t1).Select(m => m.Text));
        var head = await b.Broker.GetPositionAsync(t1, default).DefaultTimeout();
        Assert.Equal((await a.Received.WaitForAsync(t1, "both")).Position, head);
    }

    [Fact]
    public async Task ConcurrentPublishersToOneTopicAreSeenInTheSameOrderEverywhere()
    {
        const int perPublisher = 60;
        var nodes = await StartNodesAsync(3);
        var topic = NewTopic("race");
        foreach (var node in nodes)
        {
            await node.Broker.SubscribeAsync(topic, default).DefaultTimeout();
        }

        await Task.WhenAll(Enumerable.Range(0, 3).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perPublisher; i++)
            {
                await Publish(nodes[p], topic, $"{p}:{i}");
            }
        }))).DefaultTimeout();

        foreach (var node in nodes)
        {
            await node.Received.WaitForCountAsync(3 * perPublisher);
            Assert.Equal(Enumerable.Range(1, 3 * perPublisher).Select(i => (long)i), node.Received.Messages.Select(m => m.Position.Sequence));
        }
        Assert.Equal(nodes[0].Received.Messages.Select(m => m.Text), nodes[2].Received.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task HistoryReplaysWhatFollowsAPositionInOrder()
    {
        var (a, b) = await StartPairAsync();
        var topic = NewTopic("history");
        var start = await b.Broker.GetPositionAsync(topic, default).DefaultTimeout();
        for (var i = 1; i <= 5; i++)
        {
            await Publish(a, topic, "m" + i);
        }

        var all = await b.Broker.ReadAsync(topic, start, 100, default).DefaultTimeout();
        var tail = await b.Broker.ReadAsync(topic, all.Entries[1].Position, 100, default).DefaultTimeout();
        var limited = await b.Broker.ReadAsync(topic, start, 2, default).DefaultTimeout();
        var upToDate = await b.Broker.ReadAsync(topic, all.Head, 100, default).DefaultTimeout();

        Assert.True(all.Complete);
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], all.Entries.Select(e => Encoding.UTF8.GetString(e.Body.Span)));
        Assert.Equal([start.Sequence + 1, start.Sequence + 2, start.Sequence + 3, start.Sequence + 4, start.Sequence + 5], all.Entries.Select(e => e.Position.Sequence));
        Assert.Equal(start.Epoch, all.Head.Epoch);
        Assert.Equal(start.Sequence + 5, all.Head.Sequence);
        Assert.True(tail.Complete);
        Assert.Equal(["m3", "m4", "m5"], tail.Entries.Select(e => Encoding.UTF8.GetString(e.Body.Span)));
        Assert.Equal(2, limited.Entries.Count);
        Assert.True(upToDate.Complete);
        Assert.Empty(upToDate.Entries);
    }

    [Fact]
    public async Task TrimmedHistoryOrAnotherEpochIsReportedIncomplete()
    {
        var (a, b) = await StartPairAsync();
        var topic = NewTopic("trim");
        var start = await a.Broker.GetPositionAsync(topic, default).DefaultTimeout();
        // Far more than MaxLength (10): even approximate trimming (Redis MAXLEN ~) drops the first ones.
        for (var i = 0; i < 600; i++)
        {
            await Publish(a, topic, "n" + i);
        }

        var trimmed = await b.Broker.ReadAsync(topic, start, 1000, default).DefaultTimeout();
        var otherEpoch = await b.Broker.ReadAsync(topic, new TopicPosition(3, "not-an-epoch"), 1000, default).DefaultTimeout();
        var beyondHead = await b.Broker.ReadAsync(topic, trimmed.Head with { Sequence = trimmed.Head.Sequence + 7 }, 1000, default).DefaultTimeout();

        Assert.False(trimmed.Complete);
        Assert.True(trimmed.Entries.Count >= 10);
        Assert.True(trimmed.Entries.Count < 600);
        Assert.Equal("n599", Encoding.UTF8.GetString(trimmed.Entries[^1].Body.Span));
        Assert.False(otherEpoch.Complete);
        Assert.False(beyondHead.Complete);
    }

    [Fact]
    public async Task ManyTopicsKeepPublishOrderPerTopic()
    {
        const int topicCount = 20;
        const int perTopic = 25;
        var (a, b) = await StartPairAsync();
        var topics = Enumerable.Range(0, topicCount).Select(i => NewTopic("many" + i)).ToArray();
        foreach (var topic in topics)
        {
            await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();
        }

        for (var seq = 0; seq < perTopic; seq++)
        {
            foreach (var topic in topics)
            {
                await Publish(a, topic, seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        await b.Received.WaitForCountAsync(topicCount * perTopic);
        var received = b.Received.Messages;
        Assert.Equal(topicCount * perTopic, received.Count);
        foreach (var topic in topics)
        {
            var sequence = received.Where(m => m.Topic == topic).Select(m => int.Parse(m.Text, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, perTopic), sequence);
        }
    }

    [Fact]
    public async Task ConcurrentPublishersAllGetThrough()
    {
        const int perPublisher = 100;
        var nodes = await StartNodesAsync(3);
        var receiver = nodes[2];
        var topics = new[] { NewTopic("p0"), NewTopic("p1") };
        foreach (var topic in topics)
        {
            await receiver.Broker.SubscribeAsync(topic, default).DefaultTimeout();
        }

        await Task.WhenAll(Enumerable.Range(0, 2).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perPublisher; i++)
            {
                await Publish(nodes[p], topics[p], $"{p}:{i}");
            }
        }))).DefaultTimeout();

        await receiver.Received.WaitForCountAsync(2 * perPublisher);
        for (var p = 0; p < 2; p++)
        {
            var fromP = receiver.Received.Messages.Where(m => m.Topic == topics[p]).Select(m => m.Text);
            Assert.Equal(Enumerable.Range(0, perPublisher).Select(i => $"{p}:{i}"), fromP);
        }
    }

    /// <summary>A started node and what it received.</summary>
    protected sealed record Node(IBroker Broker, BrokerMessageRecorder Received);

    /// <summary>Creates, tracks (for cleanup) and starts <paramref name="count"/> nodes sharing one backend.</summary>
    protected async Task<Node[]> StartNodesAsync(int count)
    {
        var brokers = await CreateNodesAsync(count).DefaultTimeout();
        Assert.Equal(count, brokers.Length);
        _created.AddRange(brokers);
        var nodes = brokers.Select(b => new Node(b, new BrokerMessageRecorder())).ToArray();
        foreach (var node in nodes)
        {
            await node.Broker.StartAsync(node.Received.OnMessageAsync, default).DefaultTimeout();
        }
        return nodes;
    }

    /// <summary>A unique topic, so tests sharing a backend never see each other's messages.</summary>
    protected static string NewTopic(string hint) => $"spec.{hint}.{Guid.NewGuid():N}";

    private async Task<(Node A, Node B)> StartPairAsync()
    {
        var nodes = await StartNodesAsync(2);
        return (nodes[0], nodes[1]);
    }

    private static Task Publish(Node from, string topic, string text) =>
        from.Broker.PublishAsync([topic], Encoding.UTF8.GetBytes(text), default).DefaultTimeout();
}
