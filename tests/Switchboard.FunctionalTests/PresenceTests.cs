namespace Switchboard.FunctionalTests;

/// <summary>
/// Presence on a real server: <see cref="IPresence"/> follows windows as they connect and close, the change signal reaches
/// the topic's windows (and a joining window learns who is there), topics without presence are refused.
/// </summary>
public sealed class PresenceTests : IAsyncLifetime
{
    private SwitchboardHost _host = null!;

    private IPresence Presence => _host.Services.GetRequiredService<IPresence>();

    public async Task InitializeAsync() => _host = await SwitchboardHost.StartAsync(o =>
    {
        o.Switchboard = s => s.Presence.Topics.Add("room:*");
        o.Signals = LifecycleRecorder.MapLifecycle;
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task WindowsJoinedAndLeftByServerCodeShowInPresence()
    {
        await using var anonymous = new TestBrowser();
        await using var alice = new TestBrowser();
        await alice.LoginAsync(_host, "alice");
        var watcher = await anonymous.OpenWindowAsync(_host, ["room:live"]);
        await watcher.PresenceAsync("room:live", "anonymous");
        var aliceTab = await alice.OpenWindowAsync(_host);
        var control = _host.Services.GetRequiredService<IWindowControl>();

        await control.SubscribeAsync(_host.ReadToken(aliceTab.Token!), ["room:live"]).DefaultTimeout();

        await watcher.PresenceAsync("room:live", "alice, anonymous");
        Assert.Equal(2, (await Presence.GetAsync("room:live").DefaultTimeout()).Windows);

        await control.UnsubscribeAsync(_host.ReadToken(aliceTab.Token!), ["room:live"]).DefaultTimeout();

        await watcher.PresenceAsync("room:live", "anonymous");
        Assert.Equal(1, (await Presence.GetAsync("room:live").DefaultTimeout()).Windows);
    }

    [Fact]
    public async Task PresenceCountsWindowsAndDistinctUsersAsWindowsConnectAndClose()
    {
        await using var anonymous = new TestBrowser();
        await using var alice = new TestBrowser();
        await alice.LoginAsync(_host, "alice");
        var recorder = _host.Services.GetRequiredService<LifecycleRecorder>();

        var watcher = await anonymous.OpenWindowAsync(_host, ["room:1"]);
        await watcher.PresenceAsync("room:1", "anonymous");
        var aliceTab1 = await alice.OpenWindowAsync(_host, ["room:1"]);
        await watcher.PresenceAsync("room:1", "alice, anonymous");
        var aliceTab2 = await alice.OpenWindowAsync(_host, ["room:1", "room:2"]);
        // Alice was there already: only the new tab is told who is in the room.
        var told = await aliceTab2.PresenceAsync("room:1", "alice, anonymous");
        Assert.Equal(3, told.GetProperty("opts").GetProperty("windows").GetInt32());

        var room1 = await Presence.GetAsync("room:1").DefaultTimeout();
        Assert.Equal(3, room1.Windows);
        Assert.Equal(1, room1.AnonymousWindows);
        Assert.Equal([new PresenceUser("alice", "alice", 2)], room1.Users);
        Assert.Equal("-str.room:1", room1.Topic);
        var room2 = await Presence.GetAsync("room:2").DefaultTimeout();
        Assert.Equal([new PresenceUser("alice", "alice", 1)], room2.Users);

        // The lifecycle signal of a closed window runs after its presence entries are gone: await it, then ask.
        var tab2Key = _host.ReadToken(aliceTab2.Token!).WindowKey!;
        await aliceTab2.CloseAsync();
        await recorder.NextAsync(LifecycleSignals.WindowDisconnected, tab2Key);
        room1 = await Presence.GetAsync("room:1").DefaultTimeout();
        Assert.Equal(2, room1.Windows);
        Assert.Equal([new PresenceUser("alice", "alice", 1)], room1.Users);
        Assert.Equal(0, (await Presence.GetAsync("room:2").DefaultTimeout()).Windows);
        await watcher.PingAsync();
        Assert.DoesNotContain(watcher.Pending, f => f.IsSignal(PresenceOptions.DefaultSignal));

        await aliceTab1.CloseAsync();
        await watcher.PresenceAsync("room:1", "anonymous");
        Assert.Equal(1, (await Presence.GetAsync("room:1").DefaultTimeout()).Windows);
    }

    [Fact]
    public async Task TheChangeSignalReachesOnlyTheWindowsOfItsTopicWithNamesAndCountsOnly()
    {
        await using var bob = new TestBrowser();
        await using var carol = new TestBrowser();
        await bob.LoginAsync(_host, "bob");
        await carol.LoginAsync(_host, "carol");
        var inRoom = await bob.OpenWindowAsync(_host, ["room:a"]);
        var elsewhere = await bob.OpenWindowAsync(_host, ["room:b", "lobby"]);
        await inRoom.PresenceAsync("room:a", "bob");
        await elsewhere.PresenceAsync("room:b", "bob");

        await carol.OpenWindowAsync(_host, ["room:a"]);

        var change = await inRoom.PresenceAsync("room:a", "bob, carol");
        var opts = change.GetProperty("opts");
        Assert.Equal(2, opts.GetProperty("windows").GetInt32());
        Assert.Equal(["name", "windows"], opts.GetProperty("users")[0].EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(_host.ReadToken(inRoom.Token!).WindowKey!, opts.GetRawText(), StringComparison.Ordinal);
        await elsewhere.PingAsync();
        Assert.DoesNotContain(elsewhere.Pending, f => f.IsSignal(PresenceOptions.DefaultSignal));
    }

    [Fact]
    public async Task ATopicWithoutPresenceIsRefused()
    {
        Assert.True(Presence.IsEnabled("room:x"));
        Assert.False(Presence.IsEnabled("lobby"));
        Assert.False(Presence.IsEnabled(Destination.Broadcast));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Presence.GetAsync("lobby"));
        Assert.Contains("-str.lobby", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Presence.GetAsync(Destination.Window));
    }

    [Fact]
    public async Task APredicateEnablesPresenceOnAnyTopicKey()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.Presence.Predicate = key => key == DefaultTopicSerializer.BroadcastTopic);
        await using var dave = new TestBrowser();
        await dave.LoginAsync(host, "dave");
        var window = await dave.OpenWindowAsync(host);

        await window.PresenceAsync(DefaultTopicSerializer.BroadcastTopic, "dave");

        var presence = host.Services.GetRequiredService<IPresence>();
        Assert.Equal([new PresenceUser("dave", "dave", 1)], (await presence.GetAsync(Destination.Broadcast).DefaultTimeout()).Users);
        Assert.False(presence.IsEnabled("room:1"));
    }
}
