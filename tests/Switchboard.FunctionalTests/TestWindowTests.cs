using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.FunctionalTests;

/// <summary>
/// The test client itself (Switchboard.Testing's <see cref="TestWindow"/>), as a user of the package would use it:
/// from a page URL, without the functional tests' <see cref="TestBrowser"/>.
/// </summary>
public sealed class TestWindowTests : IAsyncLifetime
{
    private SwitchboardHost _host = null!;

    public async Task InitializeAsync() => _host = await SwitchboardHost.StartAsync(o =>
    {
        o.Switchboard = s => s.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
        o.Signals = s => s.MapSignal("test.echo", (WindowInfo window, ISignals signals, string text) =>
            signals.CallAsync(window, "test.echoed", to: [Destination.Window], kwargs: new { text })).AllowEveryone();
        o.Endpoints = app => app.MapGet("/plain", (HttpContext http) => http.Response.WriteAsync("<!doctype html><p>no Switchboard here</p>"));
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OpensAWindowFromItsPageUrlAndCallsASignal()
    {
        await using var window = await TestWindow.OpenPageAsync(new Uri(_host.BaseAddress, "page?topics=room"), Options());

        Assert.Equal("hello", window.Hello.Type());
        Assert.Equal(_host.WebSocketUri, window.SocketUri);
        Assert.Contains("test.echo", window.HelloSignals);
        Assert.Contains(TestWindow.TopicId("-str.room"), window.Positions.Keys);
        Assert.False(string.IsNullOrEmpty(_host.ReadToken(window.Token!).WindowKey));
        var answer = await window.CallAsync("test.echo", new { text = "hi" });
        Assert.True(answer.Accepted);
        Assert.Equal(1, answer.EnsureAccepted().Jobs);
        var echoed = await window.NextSignalAsync("test.echoed", opts => opts.Str("text") == "hi");
        Assert.NotNull(echoed.Str("signal_id"));
    }

    [Fact]
    public async Task RefusedCallCarriesItsCode()
    {
        await using var window = await TestWindow.OpenPageAsync(new Uri(_host.BaseAddress, "page"), Options());

        var answer = await window.CallAsync("test.nobody_handles_this");

        Assert.False(answer.Accepted);
        Assert.Equal("unknown_signal", answer.EnsureRefused("unknown_signal").Code);
        Assert.NotEmpty(answer.Message!);
        Assert.Throws<InvalidOperationException>(answer.EnsureAccepted);
    }

    [Fact]
    public async Task WaitingForASignalThatDoesNotComeTimesOutNamingIt()
    {
        await using var window = await TestWindow.OpenPageAsync(new Uri(_host.BaseAddress, "page"), Options());

        var error = await Assert.ThrowsAsync<TimeoutException>(() => window.NextSignalAsync("test.never_sent", timeout: TimeSpan.FromMilliseconds(200)));

        Assert.Contains("signal test.never_sent", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageWithoutTheInitElementFailsClearly()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => TestWindow.OpenPageAsync(new Uri(_host.BaseAddress, "plain"), Options()));

        Assert.Contains("switchboard-init", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InitElementUrlIsResolvedAgainstThePageAsDfJsDoes()
    {
        var html = """<p></p><script type="application/json" id="switchboard-init">{"url":"/rt/ws","token":"t0k","v":1}</script>""";

        var init = PageInit.Parse(html, new Uri("https://example.com:8443/app/page?x=1"));

        Assert.Equal(("/rt/ws", "t0k", 1), (init.Url, init.Token, init.Version));
        Assert.Equal(new Uri("wss://example.com:8443/rt/ws"), init.SocketUri);
        Assert.Equal(new Uri("ws://10.0.0.2:5000/rt/ws"), init.SocketUriFor(new Uri("http://10.0.0.2:5000/")));
    }

    [Fact]
    public async Task WaitsFailAtOnceWhenTheServerClosesAndReadAllEndsThere()
    {
        await using var window = await TestWindow.OpenPageAsync(new Uri(_host.BaseAddress, "page"), Options());
        var waiting = window.NextSignalAsync("test.echoed");

        await window.SendBinaryAsync(new byte[] { 1 });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting);
        Assert.Contains("4009", error.Message, StringComparison.Ordinal);
        Assert.Equal(4009, window.CloseStatus);
        Assert.False(window.IsOpen);
        var frames = new List<string?>();
        await foreach (var frame in window.ReadAllAsync())
        {
            frames.Add(frame.Type());
        }
        Assert.Equal(["hello"], frames);
    }

    [Fact]
    public async Task ReconnectResumesFromTheLastPositions()
    {
        var first = await TestWindow.OpenPageAsync(new Uri(_host.BaseAddress, "page?topics=room"), Options());
        await _host.Signals.CallAsync(null, "test.n", to: ["room"], kwargs: new { n = 1 });
        await first.NextSignalAsync("test.n");
        first.Abort();
        await first.WaitForCloseAsync();
        await _host.Signals.CallAsync(null, "test.n", to: ["room"], kwargs: new { n = 2 });

        await using var second = await first.ReconnectAsync();
        await first.DisposeAsync();

        Assert.True(second.Hello.Recovered());
        var replayed = Assert.Single(Positions.BeforeHello(second.Received));
        Assert.Equal(2, replayed.Opts().GetProperty("n").GetInt32());
        Assert.Equal(new Pos(2, first.Positions[TestWindow.TopicId("-str.room")].Epoch), second.Positions[TestWindow.TopicId("-str.room")]);
    }

    [Fact]
    public async Task OnFrameSeesFramesFirstAndTheOnesItConsumesAreNotKept()
    {
        var consumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = Options();
        options.OnFrame = frame =>
        {
            if (frame.IndexOf("\"test.echoed\""u8) < 0)
            {
                return false;
            }
            consumed.TrySetResult();
            return true;
        };
        await using var window = await TestWindow.OpenPageAsync(new Uri(_host.BaseAddress, "page"), options);

        (await window.CallAsync("test.echo", new { text = "raw" })).EnsureAccepted();
        await consumed.Task.WaitAsync(TestTimeouts.Frame);
        await window.PingAsync();

        Assert.DoesNotContain(window.Received, f => f.IsSignal("test.echoed"));
        Assert.Equal(["hello", "accepted", "pong"], window.Received.Select(f => f.Type()));
    }

    [Fact]
    public async Task SendHeartbeatsPingsAtTheHelloInterval()
    {
        var options = Options();
        options.SendHeartbeats = true;
        await using var window = await TestWindow.OpenPageAsync(new Uri(_host.BaseAddress, "page"), options);

        Assert.Equal(200, window.Hello.GetProperty("heartbeat").GetInt32());
        await window.NextFrameAsync(f => f.Type() == "pong", "pong to a heartbeat ping the test did not send");
    }

    private static TestWindowOptions Options() => new() { Timeout = TestTimeouts.Frame };
}
