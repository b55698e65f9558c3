namespace Switchboard.FunctionalTests;

/// <summary>
/// <see cref="IWindowControl"/> across two nodes sharing one in-memory broker network and topic store (as Redis gives
/// them): a change made on node B reaches the window's socket on node A, and a reconnect to B keeps it.
/// </summary>
public sealed class TwoNodeWindowControlTests : IAsyncLifetime
{
    private readonly SharedNodeState _shared = new();
    private SwitchboardHost _a = null!;
    private SwitchboardHost _b = null!;

    public async Task InitializeAsync()
    {
        _a = await StartNodeAsync("A");
        _b = await StartNodeAsync("B");
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _shared.Dispose();
    }

    private Task<SwitchboardHost> StartNodeAsync(string name) => _shared.StartNodeAsync(name);

    private static int N(JsonElement frame) => frame.Opts().GetProperty("n").GetInt32();

    [Fact]
    public async Task ChangeMadeOnNodeBReachesTheSocketOnNodeAAndSurvivesAReconnectToB()
    {
        await using var browser = new TestBrowser();
        await browser.LoginAsync(_a, "alice");
        var onA = await browser.OpenWindowAsync(_a);
        var control = _b.Services.GetRequiredService<IWindowControl>();

        await control.SubscribeAsync(_b.ReadToken(onA.Token!), ["news"]).DefaultTimeout();
        await _b.Signals.CallAsync(null, "test.room", to: ["news"], kwargs: new { n = 1 });

        Assert.Equal(1, N(await onA.NextSignalAsync("test.room")));
        onA.Abort();
        await onA.Closed.DefaultTimeout();
        await _a.Signals.CallAsync(null, "test.room", to: ["news"], kwargs: new { n = 2 });
        await using var onB = await onA.ReconnectAsync(_b.WebSocketUri).DefaultTimeout();
        Assert.Equal([2], Positions.BeforeHello(onB.Received).Where(f => f.IsSignal("test.room")).Select(N));

        await _a.Services.GetRequiredService<IWindowControl>().CloseUserAsync("alice", "signed out").DefaultTimeout();
        await onB.Closed.DefaultTimeout();
        Assert.Equal(4003, onB.CloseStatus);
    }
}
