using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Dashboard;
using Switchboard.Internal.Protocol;
using Switchboard.Specification.Tests;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Dashboard;

/// <summary>
/// <see cref="DashboardPublisher"/> on a fake clock, one tick at a time: a node publishes nothing and measures nothing
/// while no dashboard is watched, and publishes its snapshot for three ticks after another node's watch message.
/// </summary>
public sealed class DashboardPublisherTests
{
    [Fact]
    public async Task AnUnwatchedNodePublishesNothingAndDoesNotListenToItsMeter()
    {
        await using var sb = await CreateAsync();
        await sb.ObserveAsync(Topics(sb).Page, Topics(sb).Watch);
        var publisher = sb.Services.GetRequiredService<DashboardPublisher>();

        for (var i = 0; i < 5; i++)
        {
            await publisher.TickAsync(default);
            sb.Time.Advance(publisher.Interval);
        }

        Assert.Empty(await sb.PublishedSoFarAsync());
        Assert.False(sb.Services.GetRequiredService<DashboardMeasurements>().Listening);
    }

    [Fact]
    public async Task AWatchFromAnotherNodeMakesItPublishForThreeTicks()
    {
        await using var sb = await CreateAsync();
        await sb.ObserveAsync(Topics(sb).Page);
        var publisher = sb.Services.GetRequiredService<DashboardPublisher>();
        var measurements = sb.Services.GetRequiredService<DashboardMeasurements>();
        await publisher.TickAsync(default);

        // What a node with a dashboard window publishes each tick (any node: the position is the broker's).
        await sb.Services.GetRequiredService<TopicPublisher>().PublishAsync([Topics(sb).Watch],
            FrameWriter.SignalBody(DashboardTopics.WatchSignal, new { node = "other" }, SignalId.Next()), default);
        var counts = new List<int>();
        var listening = new List<bool>();
        for (var i = 0; i < 5; i++)
        {
            sb.Time.Advance(publisher.Interval);
            await publisher.TickAsync(default);
            counts.Add((await sb.PublishedSoFarAsync()).Count);
            listening.Add(measurements.Listening);
        }

        Assert.Equal([1, 2, 3, 3, 3], counts);
        Assert.Equal([true, true, true, false, false], listening);
        var snapshot = (await sb.PublishedSoFarAsync())[0].Json();
        Assert.Equal(DashboardTopics.NodeSignal, (string?)snapshot["signal"]);
        Assert.Equal(sb.Services.GetRequiredService<NodeSnapshotCollector>().Node, (string?)snapshot["opts"]!["node"]);
    }

    [Fact]
    public async Task TheWatchLastsThreeOfTheConfiguredIntervals()
    {
        await using var sb = await CreateAsync(o => o.DashboardFeed.Interval = TimeSpan.FromMilliseconds(250));
        await sb.ObserveAsync(Topics(sb).Page);
        var publisher = sb.Services.GetRequiredService<DashboardPublisher>();
        Assert.Equal(TimeSpan.FromMilliseconds(250), publisher.Interval);
        await publisher.TickAsync(default);
        await sb.Services.GetRequiredService<TopicPublisher>().PublishAsync([Topics(sb).Watch],
            FrameWriter.SignalBody(DashboardTopics.WatchSignal, new { node = "other" }, SignalId.Next()), default);
        var counts = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            sb.Time.Advance(publisher.Interval);
            await publisher.TickAsync(default);
            counts.Add((await sb.PublishedSoFarAsync()).Count);
        }

        Assert.Equal([1, 2, 3, 3, 3], counts);
        Assert.Equal(0.25, (double)(await sb.PublishedSoFarAsync())[0].Json()["opts"]!["intervalSeconds"]!);
    }

    private static Task<SwitchboardHarness> CreateAsync(Action<SwitchboardOptions>? options = null) =>
        SwitchboardHarness.CreateAsync(b => b.MapSignal("tests.dashboard", (WindowInfo w) => { }), options);

    private static DashboardTopics Topics(SwitchboardHarness sb) => sb.Services.GetRequiredService<DashboardTopics>();
}
