namespace Switchboard.FunctionalTests;

/// <summary>A browser call reaches the server handlers through the queues and the answer comes back to the window.</summary>
public sealed class CallTests
{
    [Fact]
    public async Task CallRunsServerHandlerWhichAnswersTheCallingWindow()
    {
        WindowInfo? seen = null;
        await using var host = await SwitchboardHost.StartAsync(o => o.Signals = s =>
            s.MapSignal("test.echo", async (WindowInfo window, ISignals signals, string text, int times = 1) =>
            {
                seen = window;
                await signals.CallAsync(window, "test.echoed", to: [Destination.Window], kwargs: new { text, times, user = window.UserName });
            }).AllowEveryone());
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "alice");
        var window = await browser.OpenWindowAsync(host);

        var answer = await window.CallAsync("test.echo", new { text = "hi", times = 3 });

        Assert.Equal(1, answer.AssertAccepted());
        var echoed = await window.NextSignalAsync("test.echoed");
        Assert.Equal("hi", echoed.Opts().GetProperty("text").GetString());
        Assert.Equal(3, echoed.Opts().GetProperty("times").GetInt32());
        Assert.Equal("alice", echoed.Opts().GetProperty("user").GetString());
        Assert.False(string.IsNullOrEmpty(echoed.Str("signal_id")));
        Assert.Equal(host.ReadToken(window.Token!).WindowKey, seen!.WindowKey);
        Assert.True(seen.IsAuthenticated);
    }

    [Fact]
    public async Task HandlerRunsInAWorkerSoTheSocketKeepsAnsweringWhileItWaits()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await SwitchboardHost.StartAsync(o => o.Signals = s =>
            s.MapSignal("test.slow", async (WindowInfo window, ISignals signals) =>
            {
                started.TrySetResult();
                await release.Task;
                await signals.CallAsync(window, "test.slow.done", to: [Destination.Window]);
            }).AllowEveryone());
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync("test.slow")).AssertAccepted();
        await started.Task.DefaultTimeout();

        // The handler is blocked: if it ran in the receive loop, neither the ping nor a second call would be answered.
        await window.PingAsync();
        (await window.CallAsync("test.slow")).AssertAccepted();
        Assert.DoesNotContain(window.Pending, f => f.IsSignal("test.slow.done"));

        release.TrySetResult();
        await window.NextSignalAsync("test.slow.done");
        await window.NextSignalAsync("test.slow.done");
    }

    [Fact]
    public async Task AcceptedCountsOneJobPerDistinctQueueAndEveryHandlerRuns()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Signals = s =>
        {
            s.MapSignal("test.fan", (WindowInfo w, ISignals signals) => signals.CallAsync(w, "test.ran", [Destination.Window], new { handler = "a" })).AllowEveryone();
            s.MapSignal("test.fan", (WindowInfo w, ISignals signals) => signals.CallAsync(w, "test.ran", [Destination.Window], new { handler = "b" })).AllowEveryone();
            s.MapSignal("test.fan", (WindowInfo w, ISignals signals) => signals.CallAsync(w, "test.ran", [Destination.Window], new { handler = "c" }))
                .AllowEveryone().OnQueue("slow");
        });
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        Assert.Equal(2, (await window.CallAsync("test.fan")).AssertAccepted());

        var ran = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ran.Add((await window.NextSignalAsync("test.ran")).Opts().GetProperty("handler").GetString()!);
        }
        Assert.Equal(["a", "b", "c"], ran.Order());
    }

    [Fact]
    public async Task OnlyAllowedHandlersOfASignalAreQueued()
    {
        var staffRan = 0;
        await using var host = await SwitchboardHost.StartAsync(o => o.Signals = s =>
        {
            s.MapSignal("test.mixed", (WindowInfo w, ISignals signals) => signals.CallAsync(w, "test.mixed.done", [Destination.Window])).AllowEveryone();
            s.MapSignal("test.mixed", (WindowInfo w) => Interlocked.Increment(ref staffRan)).AllowedTo(IsStaff.Instance).OnQueue("staff");
        });
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        Assert.Equal(1, (await window.CallAsync("test.mixed")).AssertAccepted());

        await window.NextSignalAsync("test.mixed.done");
        Assert.Equal(0, staffRan);
    }

    [Fact]
    public async Task CallWithoutOptsBindsDefaults()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Signals = s =>
            s.MapSignal("test.defaults", (WindowInfo w, ISignals signals, int count = 7, string? label = null) =>
                signals.CallAsync(w, "test.defaults.done", [Destination.Window], new { count, label })).AllowEveryone());
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        await window.SendTextAsync("""{"type":"call","id":1,"signal":"test.defaults"}""");

        (await window.NextFrameAsync(f => f.Id() == 1, "answer")).AssertAccepted();
        var done = await window.NextSignalAsync("test.defaults.done");
        Assert.Equal(7, done.Opts().GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, done.Opts().GetProperty("label").ValueKind);
    }

    [Fact]
    public async Task QueueChosenPerCallGetsAWorkerAndCountsAsItsOwnJob()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Signals = s =>
        {
            s.MapSignal("test.routed", (WindowInfo w, ISignals signals, string room) =>
                signals.CallAsync(w, "test.routed.ran", [Destination.Window], new { room })).AllowEveryone()
                .OnQueue((signal, window, kwargs) => "room-" + kwargs?["room"]?.GetValue<string>());
            s.MapSignal("test.routed", (WindowInfo w, string room) => { }).AllowEveryone();
        });
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        Assert.Equal(2, (await window.CallAsync("test.routed", new { room = "never-seen-before" })).AssertAccepted());

        var ran = await window.NextSignalAsync("test.routed.ran");
        Assert.Equal("never-seen-before", ran.Opts().GetProperty("room").GetString());
    }

    [Fact]
    public async Task EachHandlerRunsInItsOwnServiceScope()
    {
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Services = services => services.AddScoped<ScopeProbe>();
            o.Signals = s =>
            {
                s.MapSignal("test.scoped", (WindowInfo w, ISignals signals, ScopeProbe probe) =>
                    signals.CallAsync(w, "test.scoped.ran", [Destination.Window], new { id = probe.Id })).AllowEveryone();
                s.MapSignal("test.scoped", (WindowInfo w, ISignals signals, ScopeProbe probe) =>
                    signals.CallAsync(w, "test.scoped.ran", [Destination.Window], new { id = probe.Id })).AllowEveryone();
            };
        });
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync("test.scoped")).AssertAccepted();

        var first = (await window.NextSignalAsync("test.scoped.ran")).Opts().GetProperty("id").GetGuid();
        var second = (await window.NextSignalAsync("test.scoped.ran")).Opts().GetProperty("id").GetGuid();
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task NonAsciiOptsArriveIntactAndCountInUtf8Bytes()
    {
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Switchboard = s => s.MaxKwargsBytes = 1024;
            o.Signals = s => s.MapSignal("test.echo", (WindowInfo w, ISignals signals, string text) =>
                signals.CallAsync(w, "test.echoed", [Destination.Window], new { text })).AllowEveryone();
        });
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);
        // 300 x 2 UTF-8 bytes, then <>&' and an emoji: well under 1024 bytes as sent.
        var text = new string('é', 300) + "<b>&'\"😀";

        (await window.CallAsync("test.echo", new { text })).AssertAccepted();

        Assert.Equal(text, (await window.NextSignalAsync("test.echoed")).Opts().GetProperty("text").GetString());
    }

    private sealed class ScopeProbe
    {
        public Guid Id { get; } = Guid.NewGuid();
    }
}
