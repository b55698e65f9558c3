namespace Switchboard.FunctionalTests;

/// <summary>
/// Two application instances in one process acting as two nodes: one in-memory broker network, one topic store and one
/// Data Protection key ring, as Redis and a shared key ring would give them. A page rendered on one node can connect
/// to the other, and signals called on either node reach windows on both.
/// </summary>
public sealed class TwoNodeTests : IAsyncLifetime
{
    private readonly SharedNodeState _shared = new();
    private SwitchboardHost _a = null!;
    private SwitchboardHost _b = null!;

    public async Task InitializeAsync()
    {
        _a = await StartNodeAsync("A", jobs: null);
        _b = await StartNodeAsync("B", jobs: null);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _shared.Dispose();
    }

    [Fact]
    public async Task PageRenderedOnOneNodeConnectsToTheOtherWithItsTopics()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_a, ["room:1"], socketHost: _b);

        await _a.Signals.CallAsync(null, "test.room", to: ["room:1"], kwargs: new { n = 1 });

        Assert.Equal(1, (await window.NextSignalAsync("test.room")).Opts().GetProperty("n").GetInt32());
        await window.PingAsync();
        Assert.DoesNotContain(window.Pending, f => f.IsSignal("test.room"));
    }

    [Fact]
    public async Task BroadcastFromOneNodeReachesWindowsOnBothNodesOnce()
    {
        await using var browser = new TestBrowser();
        var onA = await browser.OpenWindowAsync(_a);
        var onB = await browser.OpenWindowAsync(_a, socketHost: _b);

        await _a.Signals.CallAsync(null, "test.all", to: [Destination.Broadcast]);

        var ids = new[] { (await onA.NextSignalAsync("test.all")).Str("signal_id"), (await onB.NextSignalAsync("test.all")).Str("signal_id") };
        Assert.Single(ids.Distinct());
        await onA.PingAsync();
        await onB.PingAsync();
        Assert.DoesNotContain(onA.Pending, f => f.IsSignal("test.all"));
        Assert.DoesNotContain(onB.Pending, f => f.IsSignal("test.all"));
    }

    [Fact]
    public async Task WindowDestinationFromOneNodeReachesTheWindowOnTheOther()
    {
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(_a);
        var window = await browser.ConnectAsync(_b);
        await window.HandshakeAsync(token);

        await _a.Signals.CallAsync(_a.ReadToken(token), "test.mine", to: [Destination.Window]);

        await window.NextSignalAsync("test.mine");
        await window.PingAsync();
        Assert.DoesNotContain(window.Pending, f => f.IsSignal("test.mine"));
    }

    [Fact]
    public async Task UserReachesTabsOfTheUserOnBothNodesAndNoOneElse()
    {
        await using var alice = new TestBrowser();
        await using var bob = new TestBrowser();
        await alice.LoginAsync(_a, "alice");
        await bob.LoginAsync(_b, "bob");
        var aliceOnA = await alice.OpenWindowAsync(_a);
        var aliceOnB = await alice.OpenWindowAsync(_b);
        var bobOnA = await bob.OpenWindowAsync(_b, socketHost: _a);

        await aliceOnB.SendAsync("u", "USER");

        await aliceOnA.GotAsync("u");
        await aliceOnB.GotAsync("u");
        await bobOnA.AssertNotGotAsync("u");
    }

    [Fact]
    public async Task CopiesOfOneCallReachingARemoteWindowThroughSeveralTopicsShareOneSignalId()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_a, ["room:1", "room:2"], socketHost: _b);

        await _a.Signals.CallAsync(null, "test.many", to: ["room:1", "room:2", Destination.Broadcast]);

        var first = await window.NextSignalAsync("test.many");
        await window.PingAsync();
        // The broker carries one message per topic, so a remote window may get one copy per targeted topic (a local
        // window gets one); protocol.md §3: every copy carries the call's signal_id and the client runs it once.
        var copies = window.Pending.Where(f => f.IsSignal("test.many")).Prepend(first).ToList();
        Assert.InRange(copies.Count, 1, 3);
        Assert.All(copies, f => Assert.Equal(first.Str("signal_id"), f.Str("signal_id")));
    }

    [Fact]
    public async Task JobQueuedOnOneNodeRunsOnTheOtherAndAnswersTheCallingWindow()
    {
        // Node W works, node S only serves sockets; they share one job queue, as they would share Redis streams.
        await using var worker = await StartNodeAsync("W", jobs: null);
        var queue = worker.Services.GetRequiredService<IJobQueue>();
        await using var socketsOnly = await StartNodeAsync("S", jobs: queue);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(socketsOnly);

        (await window.CallAsync("test.where")).AssertAccepted();
        var answer = await window.NextSignalAsync("test.where.ran");
        var failing = await window.CallAsync("test.fail");

        Assert.Equal("W", answer.Opts().GetProperty("node").GetString());
        failing.AssertAccepted();
        var error = await window.NextFrameAsync(f => f.Type() == "error", "error");
        Assert.Equal("handler_failed", error.Str("code"));
        Assert.Equal("failed on W", error.Str("message"));
        Assert.Equal(failing.Id, error.Id());
    }

    [Fact]
    public async Task InvokeFromAWindowOnOneNodeRunsOnTheOtherAndItsResultComesBack()
    {
        // As above: W runs the jobs, S holds the window; the result crosses the broker to S's window.
        await using var worker = await StartNodeAsync("W", jobs: null);
        await using var socketsOnly = await StartNodeAsync("S", jobs: worker.Services.GetRequiredService<IJobQueue>());
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(socketsOnly);

        var value = await window.InvokeAsync("test.node", new { x = 2 });
        var failed = await Assert.ThrowsAsync<InvokeException>(() => window.InvokeAsync("test.node.fail"));
        await window.PingAsync();

        Assert.Equal("W:2", value.GetString());
        Assert.Equal("handler_failed", failed.Code);
        Assert.Equal("failed on W", failed.ErrorMessage);
        Assert.Equal(2, window.Received.Count(f => f.Type() == "result"));
    }

    [Fact]
    public async Task ResultOfAWindowRenderedOnOneNodeAndConnectedToTheOtherReachesIt()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_a, socketHost: _b);

        Assert.Equal("B:5", (await window.InvokeAsync("test.node", new { x = 5 })).GetString());
    }

    private Task<SwitchboardHost> StartNodeAsync(string name, IJobQueue? jobs) => SwitchboardHost.StartAsync(name, o =>
    {
        _shared.Apply(o);
        if (jobs is not null)
        {
            o.Services = services => services.AddSingleton(jobs);
            o.Switchboard = s => s.Workers.Enabled = false;
        }
        o.Signals = s =>
        {
            s.MapSend();
            s.MapSignal("test.where", (WindowInfo w, ISignals signals) => signals.CallAsync(w, "test.where.ran", [Destination.Window], new { node = name }))
                .AllowEveryone();
            s.MapSignal("test.fail", void (WindowInfo w) => throw new SignalException("failed on " + name)).AllowEveryone();
            s.MapFunction("test.node", (WindowInfo w, int x) => $"{name}:{x}").AllowEveryone();
            s.MapFunction("test.node.fail", int (WindowInfo w) => throw new SignalException("failed on " + name)).AllowEveryone();
        };
    });
}
