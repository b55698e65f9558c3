namespace Switchboard.FunctionalTests;

/// <summary>
/// A window that reconnects with <c>connect.resume</c> (its last positions) gets what it missed, in order, once, before
/// <c>hello</c>; then <c>hello</c> with <c>recovered: true</c> and the position it resumed at; then live traffic
/// (protocol.md §1, §7).
/// </summary>
public sealed class ReconnectReplayTests
{
    private const string Room = "-str.room";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReconnectingWindowGetsExactlyWhatItMissedBeforeHelloThenLiveTraffic(bool abort)
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        var first = await browser.ConnectAsync(host);
        await first.HandshakeAsync(token);
        var epoch = first.Hello.PosOf(Room)!.Value.Epoch;
        for (var n = 1; n <= 3; n++)
        {
            await PublishAsync(host, n);
        }
        for (var n = 1; n <= 3; n++)
        {
            Assert.Equal(n, N(await first.NextSignalAsync("test.n")));
        }
        var last = first.Positions;
        await DisconnectAsync(first, abort);

        for (var n = 4; n <= 10; n++)
        {
            await PublishAsync(host, n);
        }
        var second = await browser.ConnectAsync(host);
        var hello = await second.HandshakeAsync(token, last);
        await PublishAsync(host, 11);
        Assert.Equal(11, N(await NextAsync(second, 11)));
        await second.PingAsync();

        Assert.Equal(new Pos(3, epoch), last[TestWindow.TopicId(Room)]);
        var replayed = Positions.BeforeHello(second.Received);
        Assert.Equal(Enumerable.Range(4, 7), replayed.Select(N));
        Assert.All(replayed, f => Assert.Equal(new Pos(N(f), epoch), Assert.Single(f.Pos()).Value));
        Assert.True(hello.Recovered());
        Assert.Equal(new Pos(10, epoch), hello.PosOf(Room));
        Assert.Equal(hello.Pos().Keys.Order(StringComparer.Ordinal), first.Hello.Pos().Keys.Order(StringComparer.Ordinal));
        var all = first.Received.Concat(second.Received).Where(f => f.IsSignal("test.n")).Select(N).ToList();
        Assert.Equal(Enumerable.Range(1, 11), all);
    }

    [Fact]
    public async Task ResumeWithNothingMissedReplaysNothingAndIsRecovered()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        var first = await browser.ConnectAsync(host);
        await first.HandshakeAsync(token);
        await PublishAsync(host, 1);
        await first.NextSignalAsync("test.n");
        var last = first.Positions;
        await first.DisposeAsync();

        var second = await browser.ConnectAsync(host);
        var hello = await second.HandshakeAsync(token, last);

        Assert.Empty(Positions.BeforeHello(second.Received));
        Assert.True(hello.Recovered());
        Assert.Equal(last.OrderBy(p => p.Key), hello.Pos().OrderBy(p => p.Key));
    }

    [Fact]
    public async Task ResumeNamingOnlySomeTopicsStartsTheOthersAtTheirCurrentPosition()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room", "other");
        var first = await browser.ConnectAsync(host);
        await first.HandshakeAsync(token);
        var roomId = TestWindow.TopicId(Room);
        var resume = new Dictionary<string, Pos> { [roomId] = first.Hello.Pos()[roomId] };
        await first.DisposeAsync();
        await PublishAsync(host, 1);
        await host.Signals.CallAsync(null, "test.other", to: ["other"]);
        await host.Signals.CallAsync(null, "test.other", to: ["other"]);

        var second = await browser.ConnectAsync(host);
        var hello = await second.HandshakeAsync(token, resume);

        Assert.Equal([1], Positions.BeforeHello(second.Received).Select(N));
        Assert.True(hello.Recovered());
        Assert.Equal(2, hello.PosOf("-str.other")!.Value.Seq);
        Assert.Equal(1, hello.PosOf(Room)!.Value.Seq);
    }

    [Fact]
    public async Task HistoryTrimmedBySizeIsNotRecoveredAndReplaysWhatIsLeft()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.History.MaxLength = 3);
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        var first = await browser.ConnectAsync(host);
        await first.HandshakeAsync(token);
        for (var n = 1; n <= 3; n++)
        {
            await PublishAsync(host, n);
            await first.NextSignalAsync("test.n");
        }
        var last = first.Positions;
        await first.DisposeAsync();
        for (var n = 4; n <= 10; n++)
        {
            await PublishAsync(host, n);
        }

        var second = await browser.ConnectAsync(host);
        var hello = await second.HandshakeAsync(token, last);
        await PublishAsync(host, 11);
        var live = await NextAsync(second, 11);

        Assert.False(hello.Recovered());
        Assert.Equal([8, 9, 10], Positions.BeforeHello(second.Received).Select(N));
        Assert.Equal(10, hello.PosOf(Room)!.Value.Seq);
        Assert.Equal(11, live.PosOf(Room)!.Value.Seq);
        Assert.Equal(11, N(live));
    }

    [Fact]
    public async Task HistoryTrimmedByAgeIsNotRecovered()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Time = time;
            o.Switchboard = s => s.History.MaxAge = TimeSpan.FromSeconds(30);
        });
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        var first = await browser.ConnectAsync(host);
        await first.HandshakeAsync(token);
        var last = first.Hello.Pos();
        await first.DisposeAsync();
        await PublishAsync(host, 1);
        await PublishAsync(host, 2);
        time.Advance(TimeSpan.FromSeconds(20));
        await PublishAsync(host, 3);
        time.Advance(TimeSpan.FromSeconds(20));

        var second = await browser.ConnectAsync(host);
        var hello = await second.HandshakeAsync(token, last);

        // 1 and 2 are 40 s old (past MaxAge), 3 is 20 s old.
        Assert.False(hello.Recovered());
        Assert.Equal([3], Positions.BeforeHello(second.Received).Select(N));
        Assert.Equal(3, hello.PosOf(Room)!.Value.Seq);
    }

    [Fact]
    public async Task UnknownEpochIsNotRecoveredAndStartsFromTheHead()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        for (var n = 1; n <= 3; n++)
        {
            await PublishAsync(host, n);
        }
        var roomId = TestWindow.TopicId(Room);

        var window = await browser.ConnectAsync(host);
        var hello = await window.HandshakeAsync(token, new Dictionary<string, Pos> { [roomId] = new(2, "not-an-epoch") });

        Assert.False(hello.Recovered());
        Assert.Equal(3, hello.PosOf(Room)!.Value.Seq);
        Assert.NotEqual("not-an-epoch", hello.PosOf(Room)!.Value.Epoch);
        // What the history holds of the current epoch is replayed (the window missed it all), never more.
        var replayed = Positions.BeforeHello(window.Received);
        Assert.Equal([1, 2, 3], replayed.Select(N));
        Assert.All(replayed, f => Assert.Equal(hello.PosOf(Room)!.Value.Epoch, f.PosOf(Room)!.Value.Epoch));
    }

    [Fact]
    public async Task PositionAheadOfTheTopicIsNotRecoveredAndStartsFromTheHead()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        var first = await browser.ConnectAsync(host);
        await first.HandshakeAsync(token);
        var epoch = first.Hello.PosOf(Room)!.Value.Epoch;
        await first.DisposeAsync();
        await PublishAsync(host, 1);

        var second = await browser.ConnectAsync(host);
        var hello = await second.HandshakeAsync(token, new Dictionary<string, Pos> { [TestWindow.TopicId(Room)] = new(99, epoch) });

        Assert.False(hello.Recovered());
        Assert.Empty(Positions.BeforeHello(second.Received));
        Assert.Equal(new Pos(1, epoch), hello.PosOf(Room));
    }

    [Fact]
    public async Task MoreMissedThanHalfTheSendQueueIsNotRecoveredAndDoesNotOverflowTheQueue()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.SendQueueCapacity = 8);
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        var first = await browser.ConnectAsync(host);
        await first.HandshakeAsync(token);
        var last = first.Hello.Pos();
        await first.DisposeAsync();
        for (var n = 1; n <= 20; n++)
        {
            await PublishAsync(host, n);
        }

        var second = await browser.ConnectAsync(host);
        var hello = await second.HandshakeAsync(token, last);
        await PublishAsync(host, 21);
        var live = await NextAsync(second, 21);

        Assert.False(hello.Recovered());
        var replayed = Positions.BeforeHello(second.Received).Select(N).ToList();
        Assert.InRange(replayed.Count, 1, 4);
        Assert.Equal(Enumerable.Range(1, replayed.Count), replayed);
        Assert.Equal(20, hello.PosOf(Room)!.Value.Seq);
        Assert.Equal(21, N(live));
        Assert.Equal(WebSocketState.Open, second.Socket.State);
    }

    [Fact]
    public async Task ResumeCannotReadTopicsOfAnotherWindow()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var victim = await browser.OpenWindowAsync(host, ["secret"]);
        var victimTopic = "-window." + host.ReadToken(victim.Token!).WindowKey;
        await host.Signals.CallAsync(host.ReadToken(victim.Token!), "test.private", to: [Destination.Window, "secret"]);
        await victim.NextSignalAsync("test.private");
        var token = await browser.LoadPageAsync(host);

        var snoop = await browser.ConnectAsync(host);
        var epoch = victim.Hello.PosOf(victimTopic)!.Value.Epoch;
        var hello = await snoop.HandshakeAsync(token, new Dictionary<string, Pos>
        {
            [TestWindow.TopicId(victimTopic)] = new(0, epoch),
            [TestWindow.TopicId("-str.secret")] = new(0, victim.Hello.PosOf("-str.secret")!.Value.Epoch),
        });
        await snoop.PingAsync();

        Assert.DoesNotContain(snoop.Received, f => f.IsSignal("test.private"));
        Assert.DoesNotContain(TestWindow.TopicId(victimTopic), hello.Pos().Keys);
        Assert.DoesNotContain(TestWindow.TopicId("-str.secret"), hello.Pos().Keys);
        Assert.True(hello.Recovered());
    }

    private static Task PublishAsync(SwitchboardHost host, int n) => host.Signals.CallAsync(null, "test.n", to: ["room"], kwargs: new { n });

    private static Task<JsonElement> NextAsync(TestWindow window, int n) =>
        window.NextFrameAsync(f => f.IsSignal("test.n") && N(f) == n, "test.n " + n);

    private static int N(JsonElement frame) => frame.Opts().GetProperty("n").GetInt32();

    private static async Task DisconnectAsync(TestWindow window, bool abort)
    {
        if (abort)
        {
            window.Socket.Abort();
        }
        await window.DisposeAsync();
    }
}
