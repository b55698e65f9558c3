using Xunit.Abstractions;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Replay when a window reconnects to another node: two hosts share one broker network (and so one history per
/// topic), one topic store and one key ring, as Redis and a shared key ring give real nodes.
/// </summary>
public sealed class TwoNodeReplayTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Room = "-str.room";

    /// <summary>Messages the publishers may send per hop.</summary>
    private const int Credit = 2000;
    // The hop test sends thousands of messages: room for them in the shared history (the network's own options).
    private readonly SharedNodeState _shared = new(new SwitchboardOptions { History = { MaxLength = 200_000 } });
    private SwitchboardHost _a = null!;
    private SwitchboardHost _b = null!;

    public async Task InitializeAsync()
    {
        _a = await StartNodeAsync("A");
        _b = await StartNodeAsync("B");
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _shared.Dispose();
    }

    [Fact]
    public async Task WindowReconnectingToAnotherNodeGetsWhatTheFirstNodePublishedMeanwhile()
    {
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(_a, "room");
        var onA = await browser.ConnectAsync(_a);
        await onA.HandshakeAsync(token);
        for (var n = 1; n <= 3; n++)
        {
            await PublishAsync(_a, n);
            Assert.Equal(n, N(await onA.NextSignalAsync("test.n")));
        }
        var last = onA.Positions;
        await onA.DisposeAsync();
        for (var n = 4; n <= 10; n++)
        {
            await PublishAsync(_a, n);
        }

        var onB = await browser.ConnectAsync(_b);
        var hello = await onB.HandshakeAsync(token, last);
        await PublishAsync(_a, 11);
        var live = await onB.NextFrameAsync(f => f.IsSignal("test.n") && N(f) == 11, "live 11");
        await onB.PingAsync();

        Assert.True(hello.Recovered());
        Assert.Equal(Enumerable.Range(4, 7), Positions.BeforeHello(onB.Received).Select(N));
        Assert.Equal(new Pos(10, last[TestWindow.TopicId(Room)].Epoch), hello.PosOf(Room));
        Assert.Equal(new Pos(11, last[TestWindow.TopicId(Room)].Epoch), live.PosOf(Room));
        Assert.Equal(Enumerable.Range(1, 11), onA.Received.Concat(onB.Received).Where(f => f.IsSignal("test.n")).Select(N));
    }

    [Fact]
    public async Task WindowTopicMessagesFromTheOtherNodeAreReplayed()
    {
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(_a);
        var window = _a.ReadToken(token);
        var onA = await browser.ConnectAsync(_a);
        await onA.HandshakeAsync(token);
        var last = onA.Hello.Pos();
        await onA.DisposeAsync();
        await _b.Signals.CallAsync(window, "test.mine", to: [Destination.Window], kwargs: new { n = 1 });
        await _a.Signals.CallAsync(window, "test.mine", to: [Destination.Window], kwargs: new { n = 2 });

        var onB = await browser.ConnectAsync(_b);
        var hello = await onB.HandshakeAsync(token, last);

        Assert.True(hello.Recovered());
        Assert.Equal([1, 2], Positions.BeforeHello(onB.Received).Select(N));
        Assert.Equal(2, hello.PosOf("-window." + window.WindowKey)!.Value.Seq);
    }

    [Fact]
    public async Task MessagesPublishedOnBothNodesWhileTheWindowHopsBetweenThemArriveOnceAndInOrder()
    {
        // A publisher on each node sends numbered messages to one topic without pause while the window disconnects and
        // reconnects (with connect.resume), alternately to A and B, some of the times abruptly. The topic's positions
        // seen over all connections must be 1, 2, 3, … with nothing missing and nothing twice.
        const int Hops = 12;
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(_a, "room");
        var connections = new List<TestWindow>();
        var window = await browser.ConnectAsync(_a);
        await window.HandshakeAsync(token);
        connections.Add(window);
        // Each node publishes; credit before each hop lets them run through the reconnect, never far ahead of the window.
        await using var publishers = new PacedPublishers(
            n => _a.Signals.CallAsync(null, "test.n", to: ["room"], kwargs: new { n }),
            n => _b.Signals.CallAsync(null, "test.n", to: ["room"], kwargs: new { n }));
        var hopsWhilePublishing = 0;
        for (var hop = 1; hop <= Hops; hop++)
        {
            // Some live traffic on this connection (published after now, so it reaches it live), then more during the hop.
            var seen = publishers.Published;
            publishers.Allow(Credit);
            await window.NextFrameAsync(f => f.IsSignal("test.n") && N(f) > seen, "traffic before hop " + hop);
            publishers.Allow(Credit);
            if (hop % 3 == 0)
            {
                window.Socket.Abort();
            }
            await window.DisposeAsync();
            // As a client does: the last positions are those of everything received until the socket closed.
            var last = window.Positions;
            window = await browser.ConnectAsync(hop % 2 == 0 ? _a : _b);
            // More traffic while the server subscribes the window, replays and says hello.
            var before = publishers.Published;
            publishers.Allow(Credit);
            var hello = await window.HandshakeAsync(token, last);
            connections.Add(window);
            Assert.True(hello.Recovered(), $"hop {hop}: not recovered");
            if (publishers.Published > before)
            {
                hopsWhilePublishing++;
            }
        }
        var total = await publishers.StopAsync();
        // Published after every numbered message: once it is here, they all are.
        await _a.Signals.CallAsync(null, "test.end", to: ["room"]);
        await window.NextSignalAsync("test.end");

        var checker = new DeliveryChecker();
        foreach (var connection in connections)
        {
            checker.Connection(connection.Received);
        }
        output.WriteLine($"two-node hops: {Hops} hops ({hopsWhilePublishing} while messages were published), {total} messages sent; {checker}");
        Assert.True(checker is { Gaps: 0, Duplicates: 0, NotRecovered: 0 }, checker.Problems);
        Assert.Equal(Enumerable.Range(1, total), checker.Run.Order());
        Assert.Equal(total, checker.Last[TestWindow.TopicId(Room)].Seq);
        Assert.True(hopsWhilePublishing >= Hops / 3, $"only {hopsWhilePublishing} of {Hops} reconnects overlapped publishing");
    }

    private static Task PublishAsync(SwitchboardHost node, int n) => node.Signals.CallAsync(null, "test.n", to: ["room"], kwargs: new { n });

    private static int N(JsonElement frame) => frame.Opts().GetProperty("n").GetInt32();

    private Task<SwitchboardHost> StartNodeAsync(string name) => SwitchboardHost.StartAsync(name, o =>
    {
        _shared.Apply(o);
        // ... and in a window's send queue.
        o.Switchboard = s => s.SendQueueCapacity = 200_000;
    });
}
