using System.Text;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.InMemory;
using Switchboard.Specification.Tests;

namespace Switchboard.Tests.InMemory;

/// <summary>
/// The in-memory network's histories on a fake clock: age limits, idle topics forgotten (a new epoch), positions and
/// reads shared by every node of the network.
/// </summary>
public sealed class InMemoryBrokerHistoryTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly InMemoryBrokerNetwork _network;
    private readonly InMemoryBroker _a;
    private readonly InMemoryBroker _b;

    public InMemoryBrokerHistoryTests()
    {
        _network = new InMemoryBrokerNetwork(_time, Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions
        {
            History = { MaxLength = 100, MaxAge = TimeSpan.FromMinutes(5), IdleTimeToLive = TimeSpan.FromHours(1) },
        }));
        _a = new InMemoryBroker(_network);
        _b = new InMemoryBroker(_network);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private ValueTask PublishAsync(InMemoryBroker node, string body, params string[] topics) =>
        node.PublishAsync(topics, Encoding.UTF8.GetBytes(body), default);

    private static string[] Bodies(HistoryRead read) => [.. read.Entries.Select(e => Encoding.UTF8.GetString(e.Body.Span))];

    [Fact]
    public async Task NodesShareOneSequenceAndHistoryPerTopic()
    {
        await PublishAsync(_a, "1", "t");
        await PublishAsync(_b, "2", "t");
        await PublishAsync(_a, "3", "t", "u");

        var head = await _b.GetPositionAsync("t", default);
        var read = await _a.ReadAsync("t", new TopicPosition(0, head.Epoch), 10, default);

        Assert.Equal(3, head.Sequence);
        Assert.True(read.Complete);
        Assert.Equal(["1", "2", "3"], Bodies(read));
        Assert.Equal(1, (await _b.GetPositionAsync("u", default)).Sequence);
        Assert.NotEqual(head.Epoch, (await _b.GetPositionAsync("u", default)).Epoch);
    }

    [Fact]
    public async Task DeliveriesCarryTheTopicsPositionsInPublishOrder()
    {
        var received = new BrokerMessageRecorder();
        await _b.StartAsync(received.OnMessageAsync, default);
        await _b.SubscribeAsync("t", default);
        await _b.SubscribeAsync("u", default);

        await PublishAsync(_a, "x", "t");
        await PublishAsync(_a, "y", "u", "t", "u");

        // A topic named twice in one message counts once.
        Assert.Equal(
            [("t", "x", 1L), ("u", "y", 1L), ("t", "y", 2L)],
            received.Messages.Select(m => (m.Topic, m.Text, m.Position.Sequence)));
        Assert.Equal(2, (await _a.GetPositionAsync("t", default)).Sequence);
        Assert.Equal(1, (await _a.GetPositionAsync("u", default)).Sequence);
    }

    [Fact]
    public async Task MessagesOlderThanMaxAgeAreNotReplayed()
    {
        await PublishAsync(_a, "old", "t");
        _time.Advance(TimeSpan.FromMinutes(4));
        await PublishAsync(_a, "young", "t");
        _time.Advance(TimeSpan.FromMinutes(2));
        var epoch = (await _a.GetPositionAsync("t", default)).Epoch;

        var fromStart = await _a.ReadAsync("t", new TopicPosition(0, epoch), 10, default);
        var afterOld = await _a.ReadAsync("t", new TopicPosition(1, epoch), 10, default);

        Assert.False(fromStart.Complete);
        Assert.Equal(["young"], Bodies(fromStart));
        Assert.True(afterOld.Complete);
    }

    [Fact]
    public async Task TopicIdlePastIdleTimeToLiveIsForgottenAndStartsANewEpoch()
    {
        await PublishAsync(_a, "1", "idle");
        await PublishAsync(_a, "2", "idle");
        var before = await _a.GetPositionAsync("idle", default);

        // Forgetting happens in the sweep that a publish runs (at most once a minute).
        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await PublishAsync(_a, "other", "busy");
        var after = await _a.GetPositionAsync("idle", default);
        var read = await _a.ReadAsync("idle", before, 10, default);

        Assert.Equal(new TopicPosition(2, before.Epoch), before);
        Assert.Equal(0, after.Sequence);
        Assert.NotEqual(before.Epoch, after.Epoch);
        Assert.False(read.Complete);
        Assert.Empty(read.Entries);
    }

    [Fact]
    public async Task TopicNotIdleForIdleTimeToLiveKeepsItsEpoch()
    {
        await PublishAsync(_a, "1", "t");
        var epoch = (await _a.GetPositionAsync("t", default)).Epoch;

        _time.Advance(TimeSpan.FromHours(1));
        await PublishAsync(_a, "other", "busy");

        Assert.Equal(new TopicPosition(1, epoch), await _a.GetPositionAsync("t", default));
    }

    [Fact]
    public async Task ReadingAPositionTouchesTheTopicSoConnectingWindowsKeepItAlive()
    {
        await PublishAsync(_a, "1", "t");
        var epoch = (await _a.GetPositionAsync("t", default)).Epoch;

        _time.Advance(TimeSpan.FromMinutes(50));
        await _b.GetPositionAsync("t", default);
        _time.Advance(TimeSpan.FromMinutes(50));
        await PublishAsync(_a, "other", "busy");

        Assert.Equal(new TopicPosition(1, epoch), await _a.GetPositionAsync("t", default));
    }

    [Fact]
    public async Task EveryIdleTopicIsForgottenInOneSweep()
    {
        var before = new List<TopicPosition>();
        for (var i = 0; i < 20; i++)
        {
            await PublishAsync(_a, "m", "t" + i);
            before.Add(await _a.GetPositionAsync("t" + i, default));
        }

        _time.Advance(TimeSpan.FromHours(2));
        await PublishAsync(_a, "m", "fresh");

        for (var i = 0; i < 20; i++)
        {
            var after = await _b.GetPositionAsync("t" + i, default);
            Assert.Equal(0, after.Sequence);
            Assert.NotEqual(before[i].Epoch, after.Epoch);
        }
    }
}
