namespace Switchboard.FunctionalTests;

/// <summary>Stopping the server closes its windows with 1001 (they reconnect, to another node if there is one).</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task StoppingTheServerClosesWindowsWith1001()
    {
        var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        TestWindow first, second;
        try
        {
            first = await browser.OpenWindowAsync(host);
            second = await browser.OpenWindowAsync(host, ["room:1"]);
        }
        finally
        {
            var stopping = host.DisposeAsync().AsTask();
            await stopping.DefaultTimeout();
        }

        Assert.Equal(1001, await first.WaitForCloseAsync());
        Assert.Equal(1001, await second.WaitForCloseAsync());
    }

    [Fact]
    public async Task StoppingTheServerClosesSocketsStillWaitingForConnectWith1001()
    {
        var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.HandshakeTimeout = TimeSpan.FromMinutes(5));
        await using var browser = new TestBrowser();
        TestWindow waiting;
        try
        {
            waiting = await browser.ConnectAsync(host);
            // A window that completed its handshake proves the server has accepted the waiting socket's upgrade too.
            await (await browser.OpenWindowAsync(host)).PingAsync();
        }
        finally
        {
            await host.DisposeAsync().AsTask().DefaultTimeout();
        }

        Assert.Equal(1001, await waiting.WaitForCloseAsync());
    }
}
