namespace Switchboard.FunctionalTests;

/// <summary>
/// A gap seen on a live connection: the window sends <c>resume</c> with its last positions; the server replays what
/// follows them (frames carrying only that topic's position), then answers <c>resumed</c> (protocol.md §2, §3, §7).
/// </summary>
public sealed class LiveGapTests
{
    private const string Room = "-str.room";

    [Fact]
    public async Task ResumeReplaysTheMessagesAfterThePositionThenResumedRecovered()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host, ["room", "other"]);
        var epoch = window.Hello.PosOf(Room)!.Value.Epoch;
        for (var n = 1; n <= 5; n++)
        {
            await PublishAsync(host, n, "room", "other");
            await window.NextFrameAsync(f => f.IsSignal("test.n") && N(f) == n, "live " + n);
        }
        var received = window.Received.Count;

        var resumed = await window.ResumeAsync(new Dictionary<string, Pos> { [TestWindow.TopicId(Room)] = new(2, epoch) }, 7);
        await window.PingAsync();

        Assert.Equal(7, resumed.Id());
        Assert.True(resumed.GetProperty("recovered").GetBoolean());
        var answer = window.Received.Skip(received).ToList();
        var replayed = answer.TakeWhile(f => f.Type() != "resumed").ToList();
        Assert.Equal([3, 4, 5], replayed.Select(N));
        // Only the resumed topic's position, though the messages were sent to two topics.
        Assert.All(replayed, f => Assert.Equal(new Pos(N(f), epoch), Assert.Single(f.Pos()).Value));
        Assert.Equal(["resumed", "pong"], answer.Skip(replayed.Count).Select(f => f.Type()));
    }

    [Fact]
    public async Task ResumeOfSeveralTopicsReplaysEachInOrder()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host, ["room", "other"]);
        var start = window.Hello.Pos();
        await PublishAsync(host, 1, "room");
        await PublishAsync(host, 2, "other");
        await PublishAsync(host, 3, "room", "other");
        await window.NextFrameAsync(f => f.IsSignal("test.n") && N(f) == 3, "live 3");
        var received = window.Received.Count;

        var resumed = await window.ResumeAsync(start, 1);

        Assert.True(resumed.GetProperty("recovered").GetBoolean());
        var replayed = window.Received.Skip(received).TakeWhile(f => f.Type() != "resumed").ToList();
        var room = replayed.Where(f => f.PosOf(Room) is not null).Select(N);
        var other = replayed.Where(f => f.PosOf("-str.other") is not null).Select(N);
        Assert.Equal([1, 3], room);
        Assert.Equal([2, 3], other);
        Assert.Equal(4, replayed.Count);
    }

    [Fact]
    public async Task ResumeFromATrimmedPositionReplaysWhatIsLeftThenResumedNotRecovered()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.History.MaxLength = 3);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host, ["room"]);
        var epoch = window.Hello.PosOf(Room)!.Value.Epoch;
        for (var n = 1; n <= 6; n++)
        {
            await PublishAsync(host, n, "room");
        }
        await window.NextFrameAsync(f => f.IsSignal("test.n") && N(f) == 6, "live 6");
        var received = window.Received.Count;

        var resumed = await window.ResumeAsync(new Dictionary<string, Pos> { [TestWindow.TopicId(Room)] = new(1, epoch) }, 2);

        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal([4, 5, 6], window.Received.Skip(received).TakeWhile(f => f.Type() != "resumed").Select(N));
    }

    [Fact]
    public async Task ResumeFromAnotherEpochIsNotRecovered()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host, ["room"]);
        await PublishAsync(host, 1, "room");
        await window.NextSignalAsync("test.n");

        var resumed = await window.ResumeAsync(new Dictionary<string, Pos> { [TestWindow.TopicId(Room)] = new(0, "gone.1") }, 3);

        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal(WebSocketState.Open, window.Socket.State);
    }

    [Fact]
    public async Task ResumeAtTheHeadReplaysNothing()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host, ["room"]);
        await PublishAsync(host, 1, "room");
        await window.NextSignalAsync("test.n");
        var received = window.Received.Count;

        var resumed = await window.ResumeAsync(window.Positions, 4);

        Assert.True(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal(received + 1, window.Received.Count);
    }

    [Fact]
    public async Task ResumeOfAnotherWindowsTopicReplaysNothing()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var victim = await browser.OpenWindowAsync(host, ["secret"]);
        var victimInfo = host.ReadToken(victim.Token!);
        await host.Signals.CallAsync(victimInfo, "test.private", to: [Destination.Window, "secret"]);
        await victim.NextSignalAsync("test.private");
        var snoop = await browser.OpenWindowAsync(host);
        var epoch = victim.Hello.PosOf("-window." + victimInfo.WindowKey)!.Value.Epoch;

        var resumed = await snoop.ResumeAsync(new Dictionary<string, Pos>
        {
            [TestWindow.TopicId("-window." + victimInfo.WindowKey)] = new(0, epoch),
            [TestWindow.TopicId("-str.secret")] = new(0, victim.Hello.PosOf("-str.secret")!.Value.Epoch),
        }, 1);
        await snoop.PingAsync();

        Assert.True(resumed.GetProperty("recovered").GetBoolean());
        Assert.DoesNotContain(snoop.Received, f => f.IsSignal("test.private"));
    }

    [Theory]
    [InlineData("""{"type":"resume","pos":{}}""", null)]
    [InlineData("""{"type":"resume","id":1}""", 1L)]
    [InlineData("""{"type":"resume","id":1,"pos":[]}""", 1L)]
    [InlineData("""{"type":"resume","id":1,"pos":{"abc":[1]}}""", 1L)]
    [InlineData("""{"type":"resume","id":1,"pos":{"abc":[-1,"e"]}}""", 1L)]
    [InlineData("""{"type":"resume","id":1,"pos":{"abc":["1","e"]}}""", 1L)]
    [InlineData("""{"type":"resume","id":1,"pos":{"abc":[1,2]}}""", 1L)]
    [InlineData("""{"type":"resume","id":1,"pos":{"abc":{"seq":1}}}""", 1L)]
    public async Task MalformedResumeGetsBadFrame(string text, long? id)
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        await window.SendTextAsync(text);

        var error = await window.NextFrameAsync(f => f.Type() == "error", "error");
        Assert.Equal("bad_frame", error.Str("code"));
        Assert.Equal(id, error.Id());
        await window.PingAsync();
        Assert.DoesNotContain(window.Received, f => f.Type() == "resumed");
    }

    private static Task PublishAsync(SwitchboardHost host, int n, params string[] topics) =>
        host.Signals.CallAsync(null, "test.n", to: topics, kwargs: new { n });

    private static int N(JsonElement frame) => frame.Opts().GetProperty("n").GetInt32();
}
