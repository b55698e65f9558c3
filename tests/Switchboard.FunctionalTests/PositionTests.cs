namespace Switchboard.FunctionalTests;

/// <summary>
/// Positions on the wire (protocol.md §1, §3, §7): hello.pos names every topic of the window by topic id, and every
/// signal frame carries, for each topic it was sent to, the next sequence number of that topic.
/// </summary>
public sealed class PositionTests
{
    [Fact]
    public void TopicIdIsTheFirst16HexDigitsOfSha1OfTheTopicString()
    {
        // sha1("-broadcast") = 342c8ded0c5cf9c3…, computed outside .NET.
        Assert.Equal("342c8ded0c5cf9c3", TestWindow.TopicId("-broadcast"));
        Assert.Equal("342c8ded0c5cf9c3", Switchboard.Internal.Protocol.TopicIds.Of("-broadcast"));
        Assert.Equal(TestWindow.TopicId("-str.room:1"), Switchboard.Internal.Protocol.TopicIds.Of("-str.room:1"));
    }

    [Fact]
    public async Task HelloListsEveryTopicOfTheWindowByTopicId()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "alice");
        var window = await browser.OpenWindowAsync(host, ["room:1", "room:2"]);
        var key = host.ReadToken(window.Token!).WindowKey;

        var pos = window.Hello.Pos();

        var expected = new[] { "-broadcast", "-window." + key, "-user.alice", "-str.room:1", "-str.room:2" }.Select(TestWindow.TopicId);
        Assert.Equal(expected.Order(StringComparer.Ordinal), pos.Keys.Order(StringComparer.Ordinal));
        Assert.All(pos.Values, p => Assert.Equal(0, p.Seq));
        Assert.All(pos.Values, p => Assert.False(string.IsNullOrEmpty(p.Epoch)));
        Assert.Null(window.Hello.Recovered());
        Assert.DoesNotContain(key!, window.Hello.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousWindowHasNoUserTopic()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);
        var key = host.ReadToken(window.Token!).WindowKey;

        Assert.Equal(
            new[] { "-broadcast", "-window." + key }.Select(TestWindow.TopicId).Order(StringComparer.Ordinal),
            window.Hello.Pos().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EverySignalFrameCarriesThePositionsOfItsTopicsEachAdvancingByOne()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "alice");
        var window = await browser.OpenWindowAsync(host, ["room:1", "room:2"]);
        var info = host.ReadToken(window.Token!);
        var topicOf = new Dictionary<string, string>
        {
            ["BROADCAST"] = "-broadcast",
            ["WINDOW"] = "-window." + info.WindowKey,
            ["USER"] = "-user.alice",
            ["room:1"] = "-str.room:1",
            ["room:2"] = "-str.room:2",
        };
        // Each send names its destinations; several at once make one message with one position per topic.
        string[][] sends =
        [
            ["room:1"], ["room:1"], ["BROADCAST"], ["room:1", "room:2"], ["USER"], ["WINDOW"], ["room:2", "BROADCAST", "WINDOW"],
            ["room:1"], ["USER", "room:1"], ["BROADCAST"],
        ];

        for (var i = 0; i < sends.Length; i++)
        {
            await host.Signals.CallAsync(info, "test.n", to: [.. sends[i].Select(Destinations.Parse)], kwargs: new { n = i });
        }

        var last = new Dictionary<string, Pos>(window.Hello.Pos());
        for (var i = 0; i < sends.Length; i++)
        {
            var frame = await window.NextSignalAsync("test.n");
            Assert.Equal(i, frame.Opts().GetProperty("n").GetInt32());
            var pos = frame.Pos();
            Assert.Equal(sends[i].Select(d => TestWindow.TopicId(topicOf[d])).Order(StringComparer.Ordinal), pos.Keys.Order(StringComparer.Ordinal));
            foreach (var (id, p) in pos)
            {
                Assert.Equal(last[id].Epoch, p.Epoch);
                Assert.Equal(last[id].Seq + 1, p.Seq);
                last[id] = p;
            }
        }
        Assert.Equal(5, last[TestWindow.TopicId("-str.room:1")].Seq);
        Assert.Equal(2, last[TestWindow.TopicId("-str.room:2")].Seq);
        Assert.Equal(3, last[TestWindow.TopicId("-broadcast")].Seq);
    }

    [Fact]
    public async Task ErrorReportsOfAWindowsCallsAreSequencedInItsWindowTopic()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);
        var windowTopic = "-window." + host.ReadToken(window.Token!).WindowKey;
        await host.Signals.CallAsync(host.ReadToken(window.Token!), "test.n", to: [Destination.Window], kwargs: new { n = 1 });
        var signal = await window.NextSignalAsync("test.n");

        var id = (await window.CallAsync("test.fail")).Id;
        var error = await window.NextFrameAsync(f => f.IsError("handler_failed"), "handler_failed");

        Assert.Equal(id, error.Id());
        Assert.Equal(new Pos(1, window.Hello.Pos()[TestWindow.TopicId(windowTopic)].Epoch), signal.PosOf(windowTopic));
        Assert.Equal(new Pos(2, signal.PosOf(windowTopic)!.Value.Epoch), error.PosOf(windowTopic));
        Assert.Single(error.Pos());
    }

    [Fact]
    public async Task TwoWindowsOnATopicSeeTheSamePositions()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var first = await browser.OpenWindowAsync(host, ["room"]);
        await host.Signals.CallAsync(null, "test.n", to: ["room"], kwargs: new { n = 1 });
        await first.NextSignalAsync("test.n");
        var second = await browser.OpenWindowAsync(host, ["room"]);

        await host.Signals.CallAsync(null, "test.n", to: ["room"], kwargs: new { n = 2 });

        Assert.Equal(new Pos(1, first.Hello.PosOf("-str.room")!.Value.Epoch), second.Hello.PosOf("-str.room"));
        var a = await first.NextSignalAsync("test.n");
        var b = await second.NextSignalAsync("test.n");
        Assert.Equal(2, a.PosOf("-str.room")!.Value.Seq);
        Assert.Equal(a.PosOf("-str.room"), b.PosOf("-str.room"));
        Assert.Equal(a.Str("signal_id"), b.Str("signal_id"));
    }

    private static Task<SwitchboardHost> StartAsync() => SwitchboardHost.StartAsync(o =>
        o.Signals = s => s.MapSignal("test.fail", void (WindowInfo w) => throw new SignalException("boom")).AllowEveryone());
}
