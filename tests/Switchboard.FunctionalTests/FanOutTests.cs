using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Switchboard.FunctionalTests;

/// <summary>WINDOW, BROADCAST and custom topics reach exactly the windows that should get them.</summary>
public sealed class FanOutTests : IAsyncLifetime
{
    private SwitchboardHost _host = null!;
    private TestBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await SwitchboardHost.StartAsync(o => o.Signals = s => s.MapSend());
        _browser = new TestBrowser();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task WindowReachesOnlyTheCallingWindow()
    {
        var caller = await _browser.OpenWindowAsync(_host);
        var otherTab = await _browser.OpenWindowAsync(_host);

        await caller.SendAsync("w", "WINDOW");

        await caller.GotAsync("w");
        await otherTab.AssertNotGotAsync("w");
    }

    [Fact]
    public async Task BroadcastReachesEveryWindowWithOneSignalId()
    {
        await using var otherBrowser = new TestBrowser();
        var caller = await _browser.OpenWindowAsync(_host);
        var otherTab = await _browser.OpenWindowAsync(_host, ["room:1"]);
        var stranger = await otherBrowser.OpenWindowAsync(_host);

        await caller.SendAsync("b", "BROADCAST");

        var ids = new[]
        {
            (await caller.GotAsync("b")).Str("signal_id"),
            (await otherTab.GotAsync("b")).Str("signal_id"),
            (await stranger.GotAsync("b")).Str("signal_id"),
        };
        Assert.Single(ids.Distinct());
        Assert.NotNull(ids[0]);
    }

    [Fact]
    public async Task CustomTopicReachesOnlyWindowsOfPagesThatChoseIt()
    {
        var inRoom = await _browser.OpenWindowAsync(_host, ["room:1"]);
        var alsoInRoom = await _browser.OpenWindowAsync(_host, ["lobby", "room:1"]);
        var otherRoom = await _browser.OpenWindowAsync(_host, ["room:2"]);
        var noTopics = await _browser.OpenWindowAsync(_host);

        await otherRoom.SendAsync("r", "room:1");

        await inRoom.GotAsync("r");
        await alsoInRoom.GotAsync("r");
        await otherRoom.AssertNotGotAsync("r");
        await noTopics.AssertNotGotAsync("r");
    }

    [Fact]
    public async Task WindowSubscribedToSeveralTargetedTopicsGetsOneFrame()
    {
        var window = await _browser.OpenWindowAsync(_host, ["room:1", "room:2"]);
        var bystander = await _browser.OpenWindowAsync(_host, ["room:2"]);

        await window.SendAsync("many", "room:1", "room:2", "WINDOW", "BROADCAST");

        await window.GotAsync("many");
        await window.AssertNotGotAsync("many");
        await bystander.GotAsync("many");
        await bystander.AssertNotGotAsync("many");
    }

    [Fact]
    public async Task SecondSetWebSocketTopicsReplacesTheFirst()
    {
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Signals = s => s.MapSend();
            o.Endpoints = app => app.MapGet("/twice", (HttpContext http) =>
            {
                http.SetWebSocketTopics("room:old");
                http.SetWebSocketTopics("room:new");
                return Results.Content(http.SwitchboardInitHtml(), "text/html");
            });
        });
        await using var browser = new TestBrowser();
        var token = await browser.LoadTokenAsync(host, "twice");
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);
        var sender = await browser.OpenWindowAsync(host);

        await sender.SendAsync("old", "room:old");
        await sender.SendAsync("new", "room:new");

        await window.GotAsync("new");
        await window.AssertNotGotAsync("old");
    }

    [Fact]
    public async Task ExpiredTopicListLeavesTheWindowItsDefaultTopics()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Time = time;
            o.Switchboard = s => s.TopicsTimeToLive = TimeSpan.FromMinutes(1);
        });
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room:1");

        time.Advance(TimeSpan.FromMinutes(2));
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);
        await host.Signals.CallAsync(null, "test.room", to: ["room:1"]);
        await host.Signals.CallAsync(host.ReadToken(token), "test.own", to: [Destination.Window]);
        await host.Signals.CallAsync(null, "test.everyone", to: [Destination.Broadcast]);

        await window.NextSignalAsync("test.own");
        await window.NextSignalAsync("test.everyone");
        Assert.DoesNotContain(window.Received, f => f.IsSignal("test.room"));
    }
}
