namespace Switchboard.FunctionalTests;

/// <summary>
/// Live topic membership and server-side close (<see cref="IWindowControl"/>, docs/windows.md) on real sockets: a change
/// reaches the window in order, positions work (everything published after the join arrives, nothing after the leave),
/// it survives a reconnect, and the browser only ever sees topic ids.
/// </summary>
public sealed class WindowControlTests : IAsyncLifetime
{
    private const string News = "-str.news";
    private SwitchboardHost _host = null!;

    public async Task InitializeAsync() => _host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.MaxTopicsPerWindow = 3);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private IWindowControl Control => _host.Services.GetRequiredService<IWindowControl>();

    private Task PublishAsync(string topic, int n) => _host.Signals.CallAsync(null, "test.room", to: [topic], kwargs: new { n });

    private static int N(JsonElement frame) => frame.Opts().GetProperty("n").GetInt32();

    private WindowInfo Info(TestWindow window) => _host.ReadToken(window.Token!);

    private async Task<IReadOnlyList<string>?> StoredAsync(TestWindow window) =>
        await _host.Services.GetRequiredService<ITopicStore>().GetAsync(Info(window).WindowKey!, default);

    [Fact]
    public async Task SubscribedWindowGetsWhatIsPublishedRightAfterTheCallAndOnlyTopicIds()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);
        var other = await browser.OpenWindowAsync(_host);
        await PublishAsync("news", 0); // before the join

        await Control.SubscribeAsync(Info(window), ["news"]).DefaultTimeout();
        await PublishAsync("news", 1);

        var got = await window.NextSignalAsync("test.room");
        Assert.Equal(1, N(got));
        var change = Assert.Single(window.Received, f => f.Type() == "topics");
        var since = Assert.Single(change.PositionsOf("add"));
        Assert.Equal(TestWindow.TopicId(News), since.Key);
        Assert.Equal(got.PosOf(News)!.Value with { Seq = got.PosOf(News)!.Value.Seq - 1 }, since.Value);
        Assert.Equal(TestWindow.TopicId(DefaultTopicSerializer.WindowTopic(Info(window).WindowKey!)), Assert.Single(change.Pos()).Key);
        Assert.True(window.Positions.ContainsKey(TestWindow.TopicId(News)));
        Assert.Contains(News, (await StoredAsync(window))!);
        await window.PingAsync();
        Assert.DoesNotContain(window.Received, f => f.IsSignal("test.room") && N(f) == 0);
        Assert.DoesNotContain(window.Received, f => f.GetRawText().Contains("-str.", StringComparison.Ordinal) || f.GetRawText().Contains("-window.", StringComparison.Ordinal));
        await other.PingAsync();
        Assert.DoesNotContain(other.Received, f => f.IsSignal("test.room") || f.Type() == "topics");
    }

    [Fact]
    public async Task ChangesInQuickSuccessionApplyInOrder()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);
        var info = Info(window);

        await Control.SubscribeAsync(info, ["a"]).DefaultTimeout();
        await PublishAsync("a", 1);
        await Control.SubscribeAsync(info, ["b"]).DefaultTimeout();
        await PublishAsync("b", 2);
        await Control.UnsubscribeAsync(info, ["a"]).DefaultTimeout();
        await PublishAsync("a", 3);
        await PublishAsync("b", 4);

        // b's history since its join may already hold 4 when the second change is applied (then 4 comes in that
        // replay, and once more live: the same position and signal_id, which a client drops).
        Assert.Equal(4, N(await window.NextSignalAsync("test.room", o => o.GetProperty("n").GetInt32() == 4)));
        await window.NextFrameAsync(f => f.Type() == "topics" && f.GetProperty("remove").GetArrayLength() == 1, "the leave");
        await window.PingAsync();
        Assert.True(window.Received.Where(f => f.IsSignal("test.room")).DistinctBy(f => f.Str("signal_id")).Select(N).SequenceEqual([1, 2, 4]),
            string.Join("\n", window.Received.Select(f => f.GetRawText())));
        var changes = window.Received.Where(f => f.Type() == "topics").ToList();
        Assert.Equal(3, changes.Count);
        Assert.Equal([TestWindow.TopicId("-str.a")], changes[0].PositionsOf("add").Keys);
        Assert.Equal([TestWindow.TopicId("-str.b")], changes[1].PositionsOf("add").Keys);
        Assert.Equal([TestWindow.TopicId("-str.a")], changes[2].GetProperty("remove").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([TestWindow.TopicId("-str.b")], window.Positions.Keys.Where(k => k == TestWindow.TopicId("-str.a") || k == TestWindow.TopicId("-str.b")));
    }

    [Fact]
    public async Task UnsubscribedWindowGetsNothingPublishedAfterTheCall()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host, ["news"]);
        await PublishAsync("news", 1);
        Assert.Equal(1, N(await window.NextSignalAsync("test.room")));

        await Control.UnsubscribeAsync(Info(window), ["news"]).DefaultTimeout();
        await PublishAsync("news", 2);
        // Sent after: the window's own topic, so it is queued behind anything the leave let through.
        await _host.Signals.CallAsync(Info(window), "test.mark", to: [Destination.Window]);

        await window.NextSignalAsync("test.mark");
        var change = Assert.Single(window.Received, f => f.Type() == "topics");
        Assert.Equal([TestWindow.TopicId(News)], change.GetProperty("remove").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(change.PositionsOf("add"));
        Assert.DoesNotContain(window.Received, f => f.IsSignal("test.room") && N(f) == 2);
        Assert.False(window.Positions.ContainsKey(TestWindow.TopicId(News)));
        Assert.DoesNotContain(News, (await StoredAsync(window))!);
    }

    [Fact]
    public async Task UserChangesReachEveryWindowOfTheUserAndNoOther()
    {
        await using var alice = new TestBrowser();
        await using var bob = new TestBrowser();
        await alice.LoginAsync(_host, "alice");
        await bob.LoginAsync(_host, "bob");
        var tab1 = await alice.OpenWindowAsync(_host);
        var tab2 = await alice.OpenWindowAsync(_host);
        var bobTab = await bob.OpenWindowAsync(_host);

        await Control.SubscribeUserAsync("alice", ["news"]).DefaultTimeout();
        await PublishAsync("news", 1);

        Assert.Equal(1, N(await tab1.NextSignalAsync("test.room")));
        Assert.Equal(1, N(await tab2.NextSignalAsync("test.room")));
        Assert.Contains(News, (await StoredAsync(tab1))!);
        Assert.Contains(News, (await StoredAsync(tab2))!);
        await bobTab.PingAsync();
        Assert.DoesNotContain(bobTab.Received, f => f.IsSignal("test.room") || f.Type() == "topics");

        await Control.UnsubscribeUserAsync("alice", ["news"]).DefaultTimeout();
        await PublishAsync("news", 2);
        await _host.Signals.CallAsync(Info(tab1), "test.mark", to: [Destination.User]);

        foreach (var tab in new[] { tab1, tab2 })
        {
            await tab.NextSignalAsync("test.mark");
            Assert.DoesNotContain(tab.Received, f => f.IsSignal("test.room") && N(f) == 2);
            Assert.Equal(2, tab.Received.Count(f => f.Type() == "topics"));
            Assert.DoesNotContain(News, (await StoredAsync(tab))!);
        }
    }

    [Fact]
    public async Task ReconnectKeepsAJoinedTopicAndReplaysWhatItMissed()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);
        await Control.SubscribeAsync(Info(window), ["news"]).DefaultTimeout();
        await PublishAsync("news", 1);
        Assert.Equal(1, N(await window.NextSignalAsync("test.room")));
        window.Abort();
        await window.Closed.DefaultTimeout();

        await PublishAsync("news", 2);
        await PublishAsync("news", 3);
        await using var again = await window.ReconnectAsync().DefaultTimeout();

        Assert.Equal([2, 3], Positions.BeforeHello(again.Received).Where(f => f.IsSignal("test.room")).Select(N));
        Assert.True(again.Hello.Recovered());
        Assert.NotNull(again.Hello.PosOf(News));
        await PublishAsync("news", 4);
        Assert.Equal(4, N(await again.NextSignalAsync("test.room", o => o.GetProperty("n").GetInt32() == 4)));
    }

    [Fact]
    public async Task WindowDisconnectedDuringTheChangeGetsItAndTheTopicsHistorySinceOnResume()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);
        await PublishAsync("news", 0);
        window.Abort();
        await window.Closed.DefaultTimeout();

        await Control.SubscribeAsync(Info(window), ["news"]).DefaultTimeout();
        await PublishAsync("news", 1);
        await PublishAsync("news", 2);
        await using var again = await window.ReconnectAsync().DefaultTimeout();

        var replayed = Positions.BeforeHello(again.Received);
        var change = Assert.Single(replayed, f => f.Type() == "topics");
        Assert.Equal([TestWindow.TopicId(News)], change.PositionsOf("add").Keys);
        Assert.Equal([1, 2], replayed.SkipWhile(f => f.Type() != "topics").Where(f => f.IsSignal("test.room")).Select(N));
        Assert.True(again.Hello.Recovered());
        Assert.Equal(replayed.Last(f => f.IsSignal("test.room")).PosOf(News), again.Hello.PosOf(News));
    }

    [Fact]
    public async Task ReplayOfAJoinAndALaterLeaveGivesTheTopicOnlyBetweenThem()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);
        var info = Info(window);
        window.Abort();
        await window.Closed.DefaultTimeout();

        await Control.SubscribeAsync(info, ["news"]).DefaultTimeout();
        await PublishAsync("news", 1);
        await Control.UnsubscribeAsync(info, ["news"]).DefaultTimeout();
        await PublishAsync("news", 2);
        await using var again = await window.ReconnectAsync().DefaultTimeout();

        var replayed = Positions.BeforeHello(again.Received);
        Assert.Equal(["topics", "signal", "topics"], replayed.Select(f => f.Type()));
        Assert.Equal(1, N(replayed[1]));
        Assert.Null(again.Hello.PosOf(News));
        await again.PingAsync();
        Assert.DoesNotContain(again.Received, f => f.IsSignal("test.room") && N(f) == 2);
    }

    [Fact]
    public async Task LiveResumeOverAChangeAppliesItOnceAndOnlyMovesTheWindowAlong()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);
        var own = TestWindow.TopicId(DefaultTopicSerializer.WindowTopic(Info(window).WindowKey!));
        var before = window.Hello.Pos()[own];
        await Control.SubscribeAsync(Info(window), ["news"]).DefaultTimeout();
        await window.NextFrameAsync(f => f.Type() == "topics", "the join");

        // As if the window had missed its own topic's messages: the server replays them, the change among them.
        var resumed = await window.ResumeAsync(new Dictionary<string, Pos> { [own] = before });

        Assert.True(resumed.Recovered());
        var again = Assert.Single(window.Pending, f => f.Type() == "topics");
        Assert.Empty(again.PositionsOf("add")); // the window follows the topic already
        Assert.Equal(before.Seq + 1, again.PosOf(DefaultTopicSerializer.WindowTopic(Info(window).WindowKey!))!.Value.Seq);
        await PublishAsync("news", 1);
        Assert.Equal(1, N(await window.NextSignalAsync("test.room")));
    }

    [Fact]
    public async Task CloseEndsOneWindowAndCloseUserEveryWindowOfTheUserWith4003AfterWhatWasQueued()
    {
        await using var alice = new TestBrowser();
        await using var bob = new TestBrowser();
        await alice.LoginAsync(_host, "alice");
        await bob.LoginAsync(_host, "bob");
        var tab1 = await alice.OpenWindowAsync(_host);
        var tab2 = await alice.OpenWindowAsync(_host);
        var bobTab = await bob.OpenWindowAsync(_host);

        await _host.Signals.CallAsync(Info(tab1), "test.before", to: [Destination.Window]);
        await Control.CloseAsync(Info(tab1), "bye").DefaultTimeout();

        await tab1.Closed.DefaultTimeout();
        Assert.Equal(4003, tab1.CloseStatus);
        Assert.Equal("bye", tab1.CloseDescription);
        Assert.Contains(tab1.Received, f => f.IsSignal("test.before"));
        Assert.True(TestWindow.IsTerminalClose(tab1.CloseStatus));
        await tab2.PingAsync();

        await Control.CloseUserAsync("alice", "signed out").DefaultTimeout();

        await tab2.Closed.DefaultTimeout();
        Assert.Equal(4003, tab2.CloseStatus);
        Assert.Equal("signed out", tab2.CloseDescription);
        await bobTab.PingAsync();
        Assert.True(bobTab.IsOpen);
    }

    [Fact]
    public async Task WindowReconnectingAfterACloseItMissedIsClosed()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);
        window.Abort();
        await window.Closed.DefaultTimeout();

        await Control.CloseAsync(Info(window)).DefaultTimeout();
        var again = await browser.ConnectAsync(_host);
        await again.SendConnectAsync(window.Token!, window.Positions);

        // No hello: the replay met the close, and the server closed the socket at once.
        await again.Closed.DefaultTimeout();
        Assert.Equal(4003, again.CloseStatus);
        Assert.Equal("closed by the server", again.CloseDescription);
        Assert.DoesNotContain(again.Received, f => f.Type() == "hello");
    }

    [Fact]
    public async Task BadArgumentsAreRefusedClearly()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);
        var info = Info(window);

        var destination = await Assert.ThrowsAsync<ArgumentException>(() => Control.SubscribeAsync(info, [Destination.Broadcast]));
        Assert.Contains("BROADCAST", destination.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Control.UnsubscribeAsync(info, [Destination.User]));
        await Assert.ThrowsAsync<ArgumentException>(() => Control.SubscribeAsync(new WindowInfo(), ["news"]));
        await Assert.ThrowsAsync<ArgumentException>(() => Control.SubscribeAsync(info, [new object()]));
        await Assert.ThrowsAsync<ArgumentException>(() => Control.CloseAsync(info, new string('x', 124)));
        await Assert.ThrowsAsync<ArgumentException>(() => Control.CloseUserAsync(""));

        await Control.SubscribeAsync(info, ["a", "b"]).DefaultTimeout();
        var limit = await Assert.ThrowsAsync<InvalidOperationException>(() => Control.SubscribeAsync(info, ["c", "d"]));
        Assert.Contains("MaxTopicsPerWindow", limit.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Control.SubscribeUserAsync("alice", ["a", "b", "c", "d"]));
        await Control.SubscribeAsync(info, ["c", "a"]).DefaultTimeout(); // a is there already: 3 chosen topics
        await window.PingAsync();
        Assert.True(window.IsOpen);
    }
}
