using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Switchboard.Internal.Connections;

namespace Switchboard.FunctionalTests;

/// <summary>
/// The instruments docs/operations.md lists beyond the counters of <see cref="MetricsTests"/>: call, pickup, handler and
/// delivery durations; the node's topics and outbox bytes; deliveries, replays and 4101 closes. Each collector is scoped
/// to its host's meter factory, so parallel tests do not see each other's measurements.
/// </summary>
public sealed class OperationsMetricsTests
{
    [Fact]
    public async Task CallsPickupsHandlersAndDeliveriesAreTimedAndDeliveriesCountedPerWindow()
    {
        await using var host = await StartAsync();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var calls = new MetricCollector<double>(factory, "Switchboard", "switchboard.call.duration");
        using var pickups = new MetricCollector<double>(factory, "Switchboard", "switchboard.job.pickup.duration");
        using var handlers = new MetricCollector<double>(factory, "Switchboard", "switchboard.handler.duration");
        using var delivery = new MetricCollector<double>(factory, "Switchboard", "switchboard.delivery.duration");
        using var deliveries = new MetricCollector<long>(factory, "Switchboard", "switchboard.deliveries");
        await using var browser = new TestBrowser();
        var windows = new List<TestWindow>();
        for (var i = 0; i < 3; i++)
        {
            windows.Add(await browser.OpenWindowAsync(host, ["room:m"]));
        }

        (await windows[0].CallAsync("m.post")).AssertAccepted();
        (await windows[0].CallAsync("m.fail")).AssertAccepted();
        (await windows[0].CallAsync("m.unknown")).AssertRefused("unknown_signal");
        foreach (var window in windows)
        {
            await window.NextSignalAsync("m.posted");
        }
        await windows[0].NextFrameAsync(f => f.IsError("handler_failed"), "handler_failed");
        await calls.WaitForMeasurementsAsync(3, TestTimeouts.Frame);
        await handlers.WaitForMeasurementsAsync(2, TestTimeouts.Frame);

        var answered = calls.GetMeasurementSnapshot();
        Assert.All(answered, m => Assert.Equal("call", m.Tags["switchboard.call.type"]));
        Assert.Equal(2, answered.Count(m => (string?)m.Tags["outcome"] == "accepted"));
        Assert.Equal(1, answered.Count(m => (string?)m.Tags["outcome"] == "refused"));
        Assert.All(answered, m => Assert.InRange(m.Value, 0, 30));
        var picked = pickups.GetMeasurementSnapshot();
        Assert.Equal(2, picked.Count);
        Assert.All(picked, m => Assert.Equal("default", m.Tags["messaging.destination.name"]));
        var ran = handlers.GetMeasurementSnapshot();
        Assert.Equal([("m.fail", "failed"), ("m.post", "succeeded")],
            ran.Select(m => ((string)m.Tags["switchboard.signal"]!, (string)m.Tags["outcome"]!)).Order());
        // One message to three windows: one delivery measurement per message, three deliveries. A delivery is counted
        // once the frame is handed to the windows, so a window may read it first: wait for the count, then check it.
        var expected = 3 + ErrorFrames(windows);
        var counted = deliveries.GetMeasurementSnapshot();
        while (counted.Sum(m => m.Value) < expected)
        {
            await deliveries.WaitForMeasurementsAsync(counted.Count + 1, TestTimeouts.Frame);
            counted = deliveries.GetMeasurementSnapshot();
        }
        Assert.Equal(expected, counted.Sum(m => m.Value));
        await delivery.WaitForMeasurementsAsync(1, TestTimeouts.Frame);
        Assert.Contains(delivery.GetMeasurementSnapshot(), m => m.Value is >= 0 and < 30);
    }

    [Fact]
    public async Task TheNodeObservesItsTopicsAndOutboxBytesAndCountsTheWindowClosedWith4101()
    {
        await using var host = await StartAsync(s => s.SendQueueCapacity = 4);
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var topics = new MetricCollector<long>(factory, "Switchboard", "switchboard.topics");
        using var outbox = new MetricCollector<long>(factory, "Switchboard", "switchboard.outbox.size");
        using var overflows = new MetricCollector<long>(factory, "Switchboard", "switchboard.outbox.overflows");
        await using var browser = new TestBrowser();
        var slow = await browser.OpenWindowAsync(host);
        topics.RecordObservableInstruments();
        var before = topics.LastMeasurement!.Value;

        await browser.OpenWindowAsync(host, ["room:a", "room:b"]);
        topics.RecordObservableInstruments();
        // The two rooms and the new window's own topic (BROADCAST was there already; anonymous: no USER topic).
        Assert.Equal(before + 3, topics.LastMeasurement!.Value);
        outbox.RecordObservableInstruments();
        Assert.Equal(0, outbox.LastMeasurement!.Value);

        var slowKey = host.ReadToken(slow.Token!).WindowKey;
        var registry = host.Services.GetRequiredService<LocalTopicRegistry>();
        slow.PauseReading();
        var big = new string('x', 256 * 1024);
        var most = 0L;
        for (var sent = 0; !registry.AllWindows.Any(w => w.Window.WindowKey == slowKey && w.CloseStatus is { Code: 4101 }); sent++)
        {
            Assert.True(sent < 4000, "The server never closed the window that does not read.");
            await host.Signals.CallAsync(new WindowInfo { WindowKey = slowKey }, "m.flood", [Destination.Window], new { big });
            outbox.RecordObservableInstruments();
            most = Math.Max(most, outbox.LastMeasurement!.Value);
        }
        slow.ResumeReading();

        Assert.InRange(most, big.Length, 4 * (big.Length + 1024));
        Assert.Equal(4101, await slow.WaitForCloseAsync());
        await overflows.WaitForMeasurementsAsync(1, TestTimeouts.Frame);
        Assert.Equal(1, overflows.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task ReplaysAreCountedByWhetherEverythingWasRecovered()
    {
        await using var host = await StartAsync();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var replays = new MetricCollector<long>(factory, "Switchboard", "switchboard.replays");
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        var first = await browser.ConnectAsync(host);
        await first.HandshakeAsync(token);
        await host.Signals.CallAsync(null, "m.n", ["room"], new { n = 1 });
        await first.NextSignalAsync("m.n");
        var last = first.Positions;
        await first.DisposeAsync();

        var resumed = await browser.ConnectAsync(host);
        Assert.True((await resumed.HandshakeAsync(token, last)).Recovered());
        // Positions of an epoch the history never had: the window is told it missed something.
        var lost = await browser.ConnectAsync(host);
        Assert.False((await lost.HandshakeAsync(token, last.ToDictionary(p => p.Key, p => p.Value with { Epoch = "gone" }))).Recovered());

        // A resume on a live connection (a gap seen by the browser) counts too, before its 'resumed' frame arrives.
        Assert.True((await resumed.ResumeAsync(last, 1)).GetProperty("recovered").GetBoolean());

        var counted = replays.GetMeasurementSnapshot();
        Assert.Equal(2, counted.Where(m => m.Tags["recovered"] is true).Sum(m => m.Value));
        Assert.Equal(1, counted.Where(m => m.Tags["recovered"] is false).Sum(m => m.Value));
    }

    /// <summary>Error frames (the failed handler's) also reach a window through the broker: each is one delivery.</summary>
    private static int ErrorFrames(List<TestWindow> windows) => windows.Sum(w => w.Received.Count(f => f.IsError("handler_failed")));

    private static Task<SwitchboardHost> StartAsync(Action<SwitchboardOptions>? options = null) =>
        SwitchboardHost.StartAsync(o =>
        {
            o.Switchboard = options;
            o.Signals = s =>
            {
                s.MapSignal("m.post", (WindowInfo w, ISignals signals) => signals.CallAsync(w, "m.posted", ["room:m"])).AllowEveryone();
                s.MapSignal("m.fail", void (WindowInfo w) => throw new SignalException("no")).AllowEveryone();
            };
        });
}
