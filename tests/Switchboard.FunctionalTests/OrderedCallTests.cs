namespace Switchboard.FunctionalTests;

/// <summary>
/// Calls one window makes run one after another, in the order it made them (docs/delivery.md), with several workers;
/// retries keep the order, a failing call does not block the next, and unordered signals still run in parallel.
/// </summary>
public sealed class OrderedCallTests
{
    private const string Room = "room-ordered";

    [Fact]
    public async Task TwoHundredQuickCallsOfOneWindowReachTheRoomInSendingOrder()
    {
        const int calls = 200;
        await using var host = await StartAsync(s =>
            s.MapSignal("test.post", async (WindowInfo window, ISignals signals, int n) =>
            {
                // Uneven handler times, so jobs run in parallel by 4 workers would finish out of order.
                for (var i = Random.Shared.Next(0, 4); i > 0; i--)
                {
                    await Task.Yield();
                }
                await signals.CallAsync(window, "test.line", to: [Room], kwargs: new { n });
            }).AllowEveryone());
        await using var browser = new TestBrowser();
        var sender = await browser.OpenWindowAsync(host);
        var reader = await browser.OpenWindowAsync(host, [Room]);

        var ids = new List<long>();
        for (var n = 0; n < calls; n++)
        {
            ids.Add(await sender.SendCallAsync("test.post", new { n }));
        }
        await sender.WaitUntilAsync(frames => frames.Count(f => f.Type() == "accepted") == calls, $"{calls} accepted calls");
        await reader.WaitUntilAsync(frames => Lines(frames).Count() == calls, $"{calls} lines in the room");

        Assert.DoesNotContain(sender.Received, f => f.Type() is "refused" or "error");
        Assert.Equal(Enumerable.Range(0, calls), Lines(reader.Received));
    }

    [Fact]
    public async Task RetriedCallRunsBeforeTheWindowsNextCallsAndAFailedOneDoesNotBlockThem()
    {
        var attempts = 0;
        await using var host = await StartAsync(s =>
        {
            s.MapSignal("test.flaky", async (WindowInfo window, ISignals signals, int n) =>
            {
                if (n == 0 && Interlocked.Increment(ref attempts) < 3)
                {
                    throw new TimeoutException("busy, try again");
                }
                if (n == 2)
                {
                    throw new SignalException("never works");
                }
                await signals.CallAsync(window, "test.line", to: [Room], kwargs: new { n });
            }).AllowEveryone().WithRetries(3);
        }, o => (o.Retry.BaseDelay, o.Retry.MaxDelay) = (TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)));
        await using var browser = new TestBrowser();
        var sender = await browser.OpenWindowAsync(host);
        var reader = await browser.OpenWindowAsync(host, [Room]);

        for (var n = 0; n < 5; n++)
        {
            await sender.SendCallAsync("test.flaky", new { n });
        }
        await reader.WaitUntilAsync(frames => Lines(frames).Count() == 4, "4 lines in the room");

        Assert.Equal([0, 1, 3, 4], Lines(reader.Received));
        Assert.Equal(3, attempts);
        var error = await sender.NextFrameAsync(f => f.Type() == "error", "the error of call 3 (n = 2)");
        Assert.Equal(("handler_failed", "never works"), (error.Str("code"), error.Str("message")));
    }

    [Fact]
    public async Task CallsOfAnUnorderedSignalRunInParallel()
    {
        // Each call waits for the other one to start: ordered, the second would wait for the first, forever.
        using var arrived = new CountdownEvent(2);
        await using var host = await StartAsync(s =>
            s.MapSignal("test.meet", async (WindowInfo window, ISignals signals, int n) =>
            {
                arrived.Signal();
                await Task.Run(() => arrived.Wait(TestTimeouts.Frame));
                Assert.True(arrived.IsSet, $"call {n} waited alone: the calls did not run in parallel");
                await signals.CallAsync(window, "test.met", to: [Destination.Window], kwargs: new { n });
            }).AllowEveryone().Unordered());
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync("test.meet", new { n = 1 })).AssertAccepted();
        (await window.CallAsync("test.meet", new { n = 2 })).AssertAccepted();

        await window.NextSignalAsync("test.met");
        await window.NextSignalAsync("test.met");
        Assert.DoesNotContain(window.Received, f => f.Type() == "error");
    }

    /// <summary>The numbers of the room's lines, in the order received.</summary>
    private static IEnumerable<int> Lines(IEnumerable<JsonElement> frames) =>
        frames.Where(f => f.IsSignal("test.line")).Select(f => f.Opts().GetProperty("n").GetInt32());

    /// <summary>A host with 4 workers and no call rate limit worth the name.</summary>
    private static Task<SwitchboardHost> StartAsync(Action<ISwitchboardBuilder> signals, Action<SwitchboardOptions>? configure = null) =>
        SwitchboardHost.StartAsync(o =>
        {
            o.Signals = signals;
            o.Switchboard = sb =>
            {
                sb.Workers.Count = 4;
                sb.CallRateLimit.PermitsPerSecond = 100_000;
                sb.CallRateLimit.Burst = 100_000;
                configure?.Invoke(sb);
            };
        });
}
