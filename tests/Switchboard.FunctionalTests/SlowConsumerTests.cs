using Switchboard.Internal.Connections;

namespace Switchboard.FunctionalTests;

/// <summary>A window that does not read fills its bounded send queue and is closed with 4101; the others keep receiving.</summary>
public sealed class SlowConsumerTests
{
    [Fact]
    public async Task WindowThatDoesNotReadIsClosedWith4101AndOtherWindowsKeepReceiving()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.SendQueueCapacity = 4);
        await using var browser = new TestBrowser();
        var slow = await browser.OpenWindowAsync(host);
        var fast = await browser.OpenWindowAsync(host, ["room:fast"]);
        var slowKey = host.ReadToken(slow.Token!).WindowKey;
        var registry = host.Services.GetRequiredService<LocalTopicRegistry>();
        bool SlowIsBeingClosed() => registry.AllWindows.Any(w => w.Window.WindowKey == slowKey && w.CloseStatus is { Code: 4101 });

        slow.PauseReading();
        // Kernel socket buffers absorb megabytes before the server's send blocks and its queue of 4 fills: send until
        // the server gives up on the window (the count depends on the machine, the outcome does not).
        var big = new string('x', 256 * 1024);
        var sent = 0;
        while (!SlowIsBeingClosed())
        {
            Assert.True(sent < 4000, "The server never closed the window that does not read.");
            await host.Signals.CallAsync(new WindowInfo { WindowKey = slowKey }, "test.flood", [Destination.Window], new { i = sent, big });
            // Meanwhile the other window gets its own signals (one at a time: its queue holds only 4 frames too).
            await host.Signals.CallAsync(null, "test.tick", ["room:fast"], new { i = sent });
            Assert.Equal(sent, (await fast.NextSignalAsync("test.tick")).Opts().GetProperty("i").GetInt32());
            sent++;
        }
        slow.ResumeReading();

        Assert.Equal(4101, await slow.WaitForCloseAsync());
        Assert.True(slow.Received.Count(f => f.IsSignal("test.flood")) < sent, "Frames past the full queue were dropped, not buffered.");
        await host.Signals.CallAsync(null, "test.after", [Destination.Broadcast]);
        await fast.NextSignalAsync("test.after");
        Assert.DoesNotContain(fast.Received, f => f.IsSignal("test.flood"));
    }
}
