using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Calls;
using Switchboard.Internal.InMemory;
using Switchboard.Internal.Protocol;
using Switchboard.Specification.Tests;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Connections;

/// <summary>Local fan-out (LocalTopicRegistry + LocalWindowDelivery + TopicPublisher): each window once, broker subscriptions follow the windows.</summary>
public sealed class LocalFanOutTests : IDisposable
{
    private readonly InMemoryBrokerNetwork _network = new(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions()));
    private readonly RecordingBroker _broker;
    private readonly LocalTopicRegistry _registry;
    private readonly TopicPublisher _publisher;
    private readonly InMemoryBroker _otherNode;
    private readonly BrokerMessageRecorder _otherNodeReceived = new();

    public LocalFanOutTests()
    {
        _broker = new RecordingBroker(new InMemoryBroker(_network));
        _registry = new LocalTopicRegistry(_broker, NullLogger<LocalTopicRegistry>.Instance);
        var membership = new WindowMembership(_registry, new WindowReplay(_broker), _broker, new InMemoryTopicStore(TimeProvider.System),
            Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions()), TimeProvider.System, NullLogger<WindowMembership>.Instance);
        _publisher = new TopicPublisher(new LocalWindowDelivery(_registry, membership, NullLogger<LocalWindowDelivery>.Instance), _broker, NullLogger<TopicPublisher>.Instance);
        _otherNode = new InMemoryBroker(_network);
        // The broker hands every message (this node's own included) back to the publisher for local delivery.
        _publisher.StartAsync(default).AsTask().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _otherNode.Dispose();
        _broker.Inner.Dispose();
    }

    private static WindowConnection Window(string key, int capacity = 16, params string[] topics) =>
        RecordingWire.Window(key, topics, capacity);

    private static async Task<List<string>> DrainAsync(WindowConnection window) =>
        // Frames are "{" + body + ",\"pos\":{…}}"; the tests publish plain-text bodies. Fan-out writes run on the thread pool.
        [.. (await RecordingWire.DrainAsync(window)).Select(text =>
        {
            var pos = text.IndexOf(",\"pos\":", StringComparison.Ordinal);
            return pos < 0 ? text[1..^1] : text[1..pos];
        })];

    [Fact]
    public async Task WindowOnSeveralTargetedTopicsGetsTheFrameOnce()
    {
        var window = Window("w1", topics: ["-broadcast", "-window.w1", "-str.room"]);
        await _registry.AddAsync(window, default);

        await _publisher.PublishAsync(["-window.w1", "-str.room", "-broadcast"], "frame"u8.ToArray(), default);

        Assert.Equal(["frame"], await DrainAsync(window));
    }

    [Fact]
    public async Task EveryWindowOfATopicGetsTheFrameAndOthersDoNot()
    {
        var (a, b, c) = (Window("a", topics: ["-str.room"]), Window("b", topics: ["-str.room", "-window.b"]), Window("c", topics: ["-window.c"]));
        foreach (var w in new[] { a, b, c })
        {
            await _registry.AddAsync(w, default);
        }

        await _publisher.PublishAsync(["-str.room"], "to-room"u8.ToArray(), default);

        Assert.Equal(["to-room"], await DrainAsync(a));
        Assert.Equal(["to-room"], await DrainAsync(b));
        Assert.Empty(await DrainAsync(c));
    }

    [Fact]
    public async Task NodeSubscribesOnTheFirstWindowAndUnsubscribesAfterTheLast()
    {
        var (a, b) = (Window("a", topics: ["-str.room", "-window.a"]), Window("b", topics: ["-str.room"]));

        await _registry.AddAsync(a, default);
        await _registry.AddAsync(b, default);
        Assert.Equal(["+-str.room", "+-window.a"], _broker.Calls);

        await _registry.RemoveAsync(a);
        Assert.Equal(["+-str.room", "+-window.a", "--window.a"], _broker.Calls);
        await _registry.RemoveAsync(b);

        Assert.Equal(["+-str.room", "+-window.a", "--window.a", "--str.room"], _broker.Calls);
        Assert.Equal(0, _registry.WindowCount);
        Assert.Equal(0, _registry.TopicCount);
    }

    [Fact]
    public async Task TopicIdIsForgottenWhenTheLastLocalWindowLeaves()
    {
        // Every page load brings a new WINDOW topic: a cached id kept after the window left grew the node's heap by
        // ~230 bytes per window ever opened (the soak run's leak).
        var topic = "-window." + Guid.NewGuid().ToString("N");
        var (a, b) = (Window("a", topics: [topic]), Window("b", topics: [topic]));
        await _registry.AddAsync(a, default);
        await _registry.AddAsync(b, default);
        await _publisher.PublishAsync([topic], "frame"u8.ToArray(), default);
        Assert.Equal(["frame"], await DrainAsync(a));
        Assert.True(TopicIds.IsCached(topic));

        await _registry.RemoveAsync(a);
        Assert.True(TopicIds.IsCached(topic));
        await _registry.RemoveAsync(b);

        Assert.False(TopicIds.IsCached(topic));
    }

    [Fact]
    public async Task RemovedWindowGetsNothingMore()
    {
        var window = Window("a", topics: ["-broadcast"]);
        await _registry.AddAsync(window, default);
        await _registry.RemoveAsync(window);

        await _publisher.PublishAsync(["-broadcast"], "late"u8.ToArray(), default);

        Assert.Empty(await DrainAsync(window));
    }

    [Fact]
    public async Task PublishedFrameAlsoGoesToOtherNodesThroughTheBroker()
    {
        await _otherNode.StartAsync(_otherNodeReceived.OnMessageAsync, default);
        await _otherNode.SubscribeAsync("-str.room", default);

        await _publisher.PublishAsync(["-str.room"], "across"u8.ToArray(), default);

        await _otherNodeReceived.WaitForAsync("-str.room", "across");
    }

    [Fact]
    public async Task FrameFromAnotherNodeReachesTheLocalWindowsOfItsTopic()
    {
        await _publisher.StartAsync(default);
        var window = Window("a", topics: ["-str.room"]);
        await _registry.AddAsync(window, default);

        await _otherNode.PublishAsync(["-str.room"], "from-afar"u8.ToArray(), default);

        Assert.Equal(["from-afar"], await DrainAsync(window));
    }

    [Fact]
    public async Task WindowWhoseQueueIsFullIsClosedAsTooSlow()
    {
        // A peer that reads nothing: the first frame's write stays pending, the next two wait in the queue (capacity 2).
        var window = RecordingWire.Window("slow", ["-broadcast"], capacity: 2, paused: true);
        await _registry.AddAsync(window, default);

        for (var i = 0; i < 3; i++)
        {
            await _publisher.PublishAsync(["-broadcast"], Encoding.UTF8.GetBytes("f" + i), default);
        }
        Assert.Null(window.CloseStatus);
        await _publisher.PublishAsync(["-broadcast"], "f3"u8.ToArray(), default);

        Assert.Equal((ProtocolNames.CloseCodes.SlowConsumer, "send queue full"), window.CloseStatus);
        Assert.False(window.TrySend(WebSocketFraming.Text("after-close"u8)));
        RecordingWire.Of(window).Paused = false;
        await window.WhenClosedAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["f0", "f1", "f2"], await DrainAsync(window));
        Assert.Equal((ProtocolNames.CloseCodes.SlowConsumer, "send queue full"), RecordingWire.Of(window).Closed);
    }

    [Fact]
    public async Task FailedSubscriptionLeavesNoHalfRegisteredWindow()
    {
        _broker.FailOn = "-str.bad";
        var window = Window("a", topics: ["-str.good", "-str.bad"]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _registry.AddAsync(window, default));

        Assert.Equal(0, _registry.WindowCount);
        Assert.Empty(_registry.Get("-str.good"));
        Assert.Contains("--str.good", _broker.Calls);
    }

    /// <summary>Records subscription changes, delegating to a real in-memory node.</summary>
    private sealed class RecordingBroker(InMemoryBroker inner) : IBroker
    {
        public InMemoryBroker Inner => inner;

        public List<string> Calls { get; } = [];

        public string? FailOn { get; set; }

        public ValueTask StartAsync(BrokerMessageHandler handler, CancellationToken cancellationToken) => inner.StartAsync(handler, cancellationToken);

        public ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken)
        {
            if (topic == FailOn)
            {
                throw new InvalidOperationException("broker down");
            }
            Calls.Add("+" + topic);
            return inner.SubscribeAsync(topic, cancellationToken);
        }

        public ValueTask UnsubscribeAsync(string topic, CancellationToken cancellationToken)
        {
            Calls.Add("-" + topic);
            return inner.UnsubscribeAsync(topic, cancellationToken);
        }

        public ValueTask PublishAsync(IReadOnlyList<string> topics, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
            inner.PublishAsync(topics, body, cancellationToken);

        public ValueTask<TopicPosition> GetPositionAsync(string topic, CancellationToken cancellationToken) => inner.GetPositionAsync(topic, cancellationToken);

        public ValueTask<HistoryRead> ReadAsync(string topic, TopicPosition after, int maxCount, CancellationToken cancellationToken) =>
            inner.ReadAsync(topic, after, maxCount, cancellationToken);
    }
}
