using Switchboard.Internal.Dashboard;

namespace Switchboard.FunctionalTests;

/// <summary>
/// The dashboard across nodes: a dashboard window on node A receives, over its own window, the snapshots of A and of
/// node B (which does not even map the dashboard) — B's windows and topics included — and A's queue snapshot; and a
/// node publishes nothing while no dashboard is open.
/// </summary>
public sealed class DashboardTwoNodeTests : IAsyncLifetime
{
    private readonly SharedNodeState _shared = new();
    private SwitchboardHost _a = null!;
    private SwitchboardHost _b = null!;

    public async Task InitializeAsync()
    {
        _a = await DashboardTests.StartAsync(more: Shared);
        _b = await SwitchboardHost.StartAsync("B", Shared);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _shared.Dispose();
    }

    [Fact]
    public async Task ADashboardWindowOnOneNodeSeesEveryNode()
    {
        await using var browser = new TestBrowser();
        await browser.OpenWindowAsync(_a, ["room:1"], socketHost: _b);
        await browser.OpenWindowAsync(_a, ["room:1"], socketHost: _b);
        await browser.LoginAsync(_a, "erin", "editor");
        var token = await browser.LoadTokenAsync(_a, "ops/dashboard");
        var dashboard = await browser.ConnectAsync(_a);
        await dashboard.HandshakeAsync(token);
        await DashboardTests.AddDeadLetterAsync(_a, "kept for the dashboard");
        var nodeA = _a.Services.GetRequiredService<NodeSnapshotCollector>().Node;
        var nodeB = _b.Services.GetRequiredService<NodeSnapshotCollector>().Node;

        var fromA = (await dashboard.NextSignalAsync(DashboardTopics.NodeSignal, o => o.GetProperty("node").GetString() == nodeA)).Opts();
        var fromB = (await dashboard.NextSignalAsync(DashboardTopics.NodeSignal, o => o.GetProperty("node").GetString() == nodeB)).Opts();
        var queues = (await dashboard.NextSignalAsync(DashboardTopics.QueuesSignal, o =>
            o.GetProperty("queues").EnumerateArray().Any(q => q.GetProperty("deadLetters").GetInt64() == 1))).Opts();

        Assert.Equal(1, fromA.GetProperty("windows").GetInt32());
        Assert.Equal(2, fromB.GetProperty("windows").GetInt32());
        var room = fromB.GetProperty("topTopics").EnumerateArray().Single(t => t.GetProperty("topic").GetString() == "-str.room:1");
        Assert.Equal(2, room.GetProperty("windows").GetInt32());
        // Presence is on for room:* here: two anonymous windows, no user.
        Assert.Equal((2, 0, 2), (room.GetProperty("presence").GetProperty("windows").GetInt32(),
            room.GetProperty("presence").GetProperty("users").GetInt32(), room.GetProperty("presence").GetProperty("anonymousWindows").GetInt32()));
        Assert.DoesNotContain(fromA.GetProperty("topTopics").EnumerateArray(), t => t.TryGetProperty("presence", out _));
        Assert.DoesNotContain(fromB.GetProperty("topTopics").EnumerateArray(), t => t.GetProperty("topic").GetString()!.StartsWith("-window.", StringComparison.Ordinal));
        var letter = queues.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("name").GetString() == "default").GetProperty("deadLetterList")[0];
        Assert.Equal("kept for the dashboard", letter.GetProperty("reason").GetString());
        Assert.True(_b.Services.GetRequiredService<DashboardMeasurements>().Listening);
    }

    [Fact]
    public async Task AWindowOfAnotherPageNeverGetsTheDashboardTopic()
    {
        // The reserved key is not a key SetWebSocketTopics can produce: a page choosing the string gets another topic.
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_a, ["-switchboard.dashboard", "switchboard.dashboard", "-topic.switchboard.dashboard"]);
        await browser.LoginAsync(_a, "erin", "editor");
        var dashboard = await browser.ConnectAsync(_a);
        await dashboard.HandshakeAsync(await browser.LoadTokenAsync(_a, "ops/dashboard"));

        await dashboard.NextSignalAsync(DashboardTopics.NodeSignal);
        await dashboard.NextSignalAsync(DashboardTopics.NodeSignal);
        await window.PingAsync();

        Assert.DoesNotContain(window.Received, f => f.IsSignal(DashboardTopics.NodeSignal) || f.IsSignal(DashboardTopics.QueuesSignal));
    }

    [Fact]
    public async Task ANodeWithTheFeedOffNeverAppearsAndNodesTellTheirInterval()
    {
        await using var quiet = await SwitchboardHost.StartAsync("C", o =>
        {
            Shared(o);
            o.Switchboard = s => s.DashboardFeed.Enabled = false;
        });
        await using var browser = new TestBrowser();
        await browser.OpenWindowAsync(_a, ["room:2"], socketHost: quiet);
        await browser.LoginAsync(_a, "erin", "editor");
        var dashboard = await browser.ConnectAsync(_a);
        await dashboard.HandshakeAsync(await browser.LoadTokenAsync(_a, "ops/dashboard"));
        var nodeB = _b.Services.GetRequiredService<NodeSnapshotCollector>().Node;
        var nodeC = quiet.Services.GetRequiredService<NodeSnapshotCollector>().Node;

        // Three snapshots of B: C had three ticks to appear in, had it been on.
        for (var i = 0; i < 3; i++)
        {
            var fromB = (await dashboard.NextSignalAsync(DashboardTopics.NodeSignal, o => o.GetProperty("node").GetString() == nodeB)).Opts();
            Assert.Equal(1.0, fromB.GetProperty("intervalSeconds").GetDouble());
        }

        Assert.DoesNotContain(dashboard.Received, f => f.IsSignal(DashboardTopics.NodeSignal) && f.Opts().GetProperty("node").GetString() == nodeC);
        Assert.False(quiet.Services.GetRequiredService<DashboardMeasurements>().Listening);
    }

    private void Shared(SwitchboardHostOptions o)
    {
        _shared.Apply(o);
        o.Switchboard = s => s.Presence.Topics.Add("room:*");
    }
}
