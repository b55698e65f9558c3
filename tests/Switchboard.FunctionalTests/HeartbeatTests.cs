using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.Connections;

namespace Switchboard.FunctionalTests;

/// <summary>A window the server heard nothing from for ClientTimeout is closed with 4100 (it will reconnect).</summary>
public sealed class HeartbeatTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private SwitchboardHost _host = null!;
    private TestBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await SwitchboardHost.StartAsync(o =>
        {
            o.Time = _time;
            o.Switchboard = s => (s.HeartbeatInterval, s.ClientTimeout) = (TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(60));
        });
        _browser = new TestBrowser();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task SilentWindowIsClosedWith4100WhileAWindowThatPingsStaysOpen()
    {
        var silent = await _browser.OpenWindowAsync(_host);
        var active = await _browser.OpenWindowAsync(_host);

        _time.Advance(TimeSpan.FromSeconds(40));
        await active.PingAsync();
        _time.Advance(TimeSpan.FromSeconds(21));
        _host.Services.GetRequiredService<HeartbeatMonitor>().Sweep();

        Assert.Equal(4100, await silent.WaitForCloseAsync());
        await active.PingAsync();
        Assert.Equal(WebSocketState.Open, active.Socket.State);
    }

    [Fact]
    public async Task WindowIsNotClosedBeforeClientTimeout()
    {
        var window = await _browser.OpenWindowAsync(_host);

        _time.Advance(TimeSpan.FromSeconds(60));
        _host.Services.GetRequiredService<HeartbeatMonitor>().Sweep();

        await window.PingAsync();
        Assert.Null(window.CloseStatus);
    }

    [Fact]
    public async Task MonitorTimerClosesSilentWindowsWithoutHelp()
    {
        var window = await _browser.OpenWindowAsync(_host);

        // The monitor sweeps every ClientTimeout / 4; by then the window has been silent longer than ClientTimeout.
        _time.Advance(TimeSpan.FromSeconds(60 + 15));

        Assert.Equal(4100, await window.WaitForCloseAsync());
    }

    [Fact]
    public async Task HelloAnnouncesTheHeartbeatInterval()
    {
        var window = await _browser.OpenWindowAsync(_host);

        Assert.Equal(25000, window.Hello.GetProperty("heartbeat").GetInt32());
    }
}
