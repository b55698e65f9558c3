using System.Text.Json.Nodes;

namespace Switchboard.FunctionalTests;

/// <summary>Argument and handler failures of an accepted call reach the calling window as error frames; other handlers still run.</summary>
public sealed class HandlerErrorTests : IAsyncLifetime
{
    private SwitchboardHost _host = null!;
    private TestBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await StartAsync(detailedErrors: false);
        _browser = new TestBrowser();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("""{"count":"abc"}""", "count")]
    [InlineData("""{"count":1.5}""", "count")]
    [InlineData("""{"count":null}""", "count")]
    [InlineData("""{}""", "count")]
    [InlineData("""{"count":1,"bogus":2}""", "bogus")]
    public async Task BadArgumentsAreReportedAfterAcceptanceAndTheOtherHandlerStillRuns(string opts, string named)
    {
        var window = await _browser.OpenWindowAsync(_host);
        var id = await window.SendCallAsync("test.count", JsonNode.Parse(opts));

        (await window.NextFrameAsync(f => f.Id() == id && f.Type() is "accepted" or "refused", "answer")).AssertAccepted();
        var error = await window.NextFrameAsync(f => f.Type() == "error", "error");
        Assert.Equal("bad_arguments", error.Str("code"));
        Assert.Equal(id, error.Id());
        Assert.Equal("test.count", error.Str("signal"));
        Assert.Contains(named, error.Str("message"), StringComparison.Ordinal);
        await window.NextSignalAsync("test.count.catch_all_ran");
    }

    [Fact]
    public async Task NumbersInStringsBindAndTheHandlerRuns()
    {
        var window = await _browser.OpenWindowAsync(_host);

        (await window.CallAsync("test.count", new { count = "41" })).AssertAccepted();

        var counted = await window.NextSignalAsync("test.count.counted");
        Assert.Equal(42, counted.Opts().GetProperty("next").GetInt32());
        await window.NextSignalAsync("test.count.catch_all_ran");
        await window.PingAsync();
        Assert.DoesNotContain(window.Pending, f => f.Type() == "error");
    }

    [Fact]
    public async Task ThrowingHandlerIsReportedWithAGenericMessageAndTheOtherHandlerStillRuns()
    {
        var window = await _browser.OpenWindowAsync(_host);
        var otherTab = await _browser.OpenWindowAsync(_host);

        var answer = await window.CallAsync("test.throws", new { kind = "crash" });

        answer.AssertAccepted();
        var error = await window.NextFrameAsync(f => f.Type() == "error", "error");
        Assert.Equal("handler_failed", error.Str("code"));
        Assert.Equal(answer.Id, error.Id());
        Assert.DoesNotContain("secret", error.Str("message"), StringComparison.Ordinal);
        Assert.Contains("test.throws", error.Str("message"), StringComparison.Ordinal);
        await window.NextSignalAsync("test.throws.other_ran");
        await otherTab.PingAsync();
        Assert.DoesNotContain(otherTab.Pending, f => f.Type() == "error");
    }

    [Fact]
    public async Task SignalExceptionMessageReachesTheWindow()
    {
        var window = await _browser.OpenWindowAsync(_host);

        var answer = await window.CallAsync("test.throws", new { kind = "signal" });

        answer.AssertAccepted();
        var error = await window.NextFrameAsync(f => f.Type() == "error", "error");
        Assert.Equal("handler_failed", error.Str("code"));
        Assert.Equal("nope", error.Str("message"));
        Assert.Equal(answer.Id, error.Id());
        await window.NextSignalAsync("test.throws.other_ran");
    }

    [Fact]
    public async Task DetailedErrorsSendTheExceptionMessage()
    {
        await using var host = await StartAsync(detailedErrors: true);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync("test.throws", new { kind = "crash" })).AssertAccepted();

        var error = await window.NextFrameAsync(f => f.Type() == "error", "error");
        Assert.Equal("secret database password", error.Str("message"));
    }

    [Fact]
    public async Task FailuresOfServerOriginatedCallsAreNotSentToWindows()
    {
        var window = await _browser.OpenWindowAsync(_host);
        var info = _host.ReadToken(window.Token!);

        await _host.Signals.CallAsync(info, "test.throws", to: [Destination.Server], kwargs: new { kind = "signal" });
        await _host.Signals.CallAsync(info, "test.count", to: [Destination.Server], kwargs: new { count = "abc" });
        await _host.Signals.CallAsync(info, "test.marker", to: [Destination.Server]);

        // One worker: once the marker's handler answered, the failing jobs before it have run.
        await window.NextSignalAsync("test.marker.ran");
        await window.NextSignalAsync("test.throws.other_ran");
        await window.PingAsync();
        Assert.DoesNotContain(window.Received, f => f.Type() == "error");
    }

    private static Task<SwitchboardHost> StartAsync(bool detailedErrors) => SwitchboardHost.StartAsync(o =>
    {
        o.Switchboard = s => (s.DetailedErrors, s.Workers.Count) = (detailedErrors, 1);
        o.Signals = s =>
        {
            s.MapSignal("test.count", (WindowInfo w, ISignals signals, int count) =>
                signals.CallAsync(w, "test.count.counted", [Destination.Window], new { next = count + 1 })).AllowEveryone();
            s.MapSignal("test.count", (WindowInfo w, ISignals signals, [CatchAll] JsonObject rest) =>
                signals.CallAsync(w, "test.count.catch_all_ran", [Destination.Window], rest)).AllowEveryone();
            s.MapSignal("test.throws", void (WindowInfo w, string kind) =>
                throw (kind == "signal" ? new SignalException("nope") : new InvalidOperationException("secret database password"))).AllowEveryone();
            s.MapSignal("test.throws", (WindowInfo w, ISignals signals, string kind) =>
                signals.CallAsync(w, "test.throws.other_ran", [Destination.Window])).AllowEveryone();
            s.MapSignal("test.marker", (WindowInfo w, ISignals signals) => signals.CallAsync(w, "test.marker.ran", [Destination.Window]));
        };
    });
}
