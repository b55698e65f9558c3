namespace Switchboard.FunctionalTests;

/// <summary>
/// <see cref="LifecycleSignals"/> on a real server: handlers run in workers with the window's <see cref="WindowInfo"/>,
/// once per window however many sockets it has, a reconnect is disconnected then connected, and browsers cannot call them.
/// </summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private SwitchboardHost _host = null!;

    private LifecycleRecorder Recorder => _host.Services.GetRequiredService<LifecycleRecorder>();

    public async Task InitializeAsync() => _host = await SwitchboardHost.StartAsync(o =>
    {
        // One worker: handlers run in the order the signals were queued.
        o.Switchboard = s => s.Workers.Count = 1;
        o.Signals = LifecycleRecorder.MapLifecycle;
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ConnectedAndDisconnectedRunWithTheWindowsInfo()
    {
        await using var browser = new TestBrowser();
        await browser.LoginAsync(_host, "erin", "staff");
        var window = await browser.OpenWindowAsync(_host, ["room:1"]);
        var key = _host.ReadToken(window.Token!).WindowKey!;

        var connected = await Recorder.NextAsync(LifecycleSignals.WindowConnected, key);
        Assert.Equal("erin", connected.UserId);
        Assert.Equal("erin", connected.UserName);
        Assert.True(connected.IsAuthenticated);
        Assert.True(connected.IsStaff);

        await window.CloseAsync();
        var disconnected = await Recorder.NextAsync(LifecycleSignals.WindowDisconnected, key);
        Assert.Equal("erin", disconnected.UserId);
        Assert.True(disconnected.IsStaff);
    }

    [Fact]
    public async Task AWindowIsConnectedWhileAnySocketOfItIsAndAReconnectIsDisconnectedThenConnected()
    {
        await using var browser = new TestBrowser();
        var first = await browser.OpenWindowAsync(_host);
        var key = _host.ReadToken(first.Token!).WindowKey!;
        await Recorder.NextAsync(LifecycleSignals.WindowConnected, key);
        // A second socket of the same window (a reconnect that overlaps the old socket): still one window.
        var second = await first.ReconnectAsync();

        await first.CloseAsync();
        await second.CloseAsync();
        await Recorder.NextAsync(LifecycleSignals.WindowDisconnected, key);
        var third = await second.ReconnectAsync();
        await Recorder.NextAsync(LifecycleSignals.WindowConnected, key);

        // One worker ran them in order: everything queued before the last connected has run.
        Assert.Equal(
            [LifecycleSignals.WindowConnected, LifecycleSignals.WindowDisconnected, LifecycleSignals.WindowConnected],
            Recorder.Seen.Where(s => s.Window.WindowKey == key).Select(s => s.Signal));
        Assert.True(third.IsOpen);
    }

    [Fact]
    public async Task BrowsersCannotCallOrSeeTheReservedNamesEvenWhenAHandlerAllowsEveryone()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Signals = s =>
        {
            s.MapSignal(LifecycleSignals.WindowConnected, (WindowInfo w) => { }).AllowEveryone();
            s.MapSignal("switchboard.custom", (WindowInfo w) => { }).AllowEveryone();
        });
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync(LifecycleSignals.WindowConnected)).EnsureRefused("forbidden");
        (await window.CallAsync(LifecycleSignals.WindowDisconnected)).EnsureRefused("forbidden");
        (await window.CallAsync("switchboard.custom")).EnsureRefused("forbidden");
        Assert.DoesNotContain(window.HelloSignals, s => s.StartsWith(LifecycleSignals.ReservedPrefix, StringComparison.Ordinal));
    }
}
