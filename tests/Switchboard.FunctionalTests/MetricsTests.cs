using Microsoft.Extensions.Time.Testing;

namespace Switchboard.FunctionalTests;

/// <summary>
/// The <c>Switchboard</c> meter (options.md Metrics): every refusal counted once with its reason, windows up and down,
/// calls, invokes and jobs by outcome. Each step asserts every documented reason, so a refusal counted under the wrong reason
/// (or twice) fails too.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task RefusedConnectionsAreCountedByReason()
    {
        await using var host = await StartAsync();
        using var meter = new SwitchboardMeter(host);
        await using var alice = new TestBrowser();
        await using var bob = new TestBrowser();
        await alice.LoginAsync(host, "alice");
        await bob.LoginAsync(host, "bob");

        await Assert.ThrowsAsync<WebSocketException>(() => alice.ConnectAsync(host, origin: "http://evil.example"));
        meter.AssertRefusals(("origin", 1));

        var forged = await alice.ConnectAsync(host);
        await forged.SendJsonAsync(new { type = "connect", v = 1, token = "CfDJ8forged" });
        Assert.Equal(4001, await forged.WaitForCloseAsync());
        meter.AssertRefusals(("origin", 1), ("bad_token", 1));

        var alicesToken = await alice.LoadPageAsync(host);
        var stolen = await bob.ConnectAsync(host);
        await stolen.SendJsonAsync(new { type = "connect", v = 1, token = alicesToken });
        Assert.Equal(4001, await stolen.WaitForCloseAsync());
        meter.AssertRefusals(("origin", 1), ("bad_token", 1), ("token_user", 1));

        var window = await alice.ConnectAsync(host);
        await window.HandshakeAsync(alicesToken);
        meter.AssertRefusals(("origin", 1), ("bad_token", 1), ("token_user", 1));
    }

    [Fact]
    public async Task HandshakeTimeoutIsCounted()
    {
        await using var host = await StartAsync(s => s.HandshakeTimeout = TimeSpan.FromMilliseconds(200));
        using var meter = new SwitchboardMeter(host);
        await using var browser = new TestBrowser();

        var silent = await browser.ConnectAsync(host);

        Assert.Equal(4008, await silent.WaitForCloseAsync());
        meter.AssertRefusals(("handshake_timeout", 1));
    }

    [Fact]
    public async Task RefusedFramesAreCountedByReason()
    {
        await using var host = await StartAsync(s => (s.MaxFrameBytes, s.MaxKwargsBytes) = (1024, 512));
        using var meter = new SwitchboardMeter(host);
        await using var browser = new TestBrowser();

        var window = await browser.OpenWindowAsync(host);
        await window.SendTextAsync("not json");
        await window.NextFrameAsync(f => f.IsError("bad_frame"), "bad_frame");
        await window.SendTextAsync("""{"type":"call","id":1}""");
        await window.NextFrameAsync(f => f.IsError("bad_frame"), "bad_frame");
        meter.AssertRefusals(("bad_frame", 2));

        await window.SendTextAsync(new string(' ', 2000));
        Assert.Equal(1009, await window.WaitForCloseAsync());
        meter.AssertRefusals(("bad_frame", 2), ("frame_too_large", 1));

        var binary = await browser.OpenWindowAsync(host);
        await binary.SendBinaryAsync(new byte[] { 1, 2, 3 });
        Assert.Equal(4009, await binary.WaitForCloseAsync());
        meter.AssertRefusals(("bad_frame", 2), ("frame_too_large", 1), ("binary_frame", 1));
    }

    [Fact]
    public async Task RefusedFramesInsteadOfConnectAreCountedByReason()
    {
        await using var host = await StartAsync(s => (s.MaxFrameBytes, s.MaxKwargsBytes) = (1024, 512));
        using var meter = new SwitchboardMeter(host);
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host);

        var large = await browser.ConnectAsync(host);
        await large.SendJsonAsync(new { type = "connect", v = 1, token, padding = new string('x', 2000) });
        Assert.Equal(1009, await large.WaitForCloseAsync());
        var binary = await browser.ConnectAsync(host);
        await binary.SendBinaryAsync(new byte[] { (byte)'{', (byte)'}' });
        Assert.Equal(4009, await binary.WaitForCloseAsync());

        meter.AssertRefusals(("frame_too_large", 1), ("binary_frame", 1));
    }

    [Fact]
    public async Task RateLimitedCallsAndTheAbusiveWindowAreCountedButNotAsCalls()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(s =>
        {
            s.CallRateLimit.Burst = 1;
            s.CallRateLimit.PermitsPerSecond = 1;
            s.CallRateLimit.CloseAfterRefusals = 2;
        }, time);
        using var meter = new SwitchboardMeter(host);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync("test.ok")).AssertAccepted();
        (await window.CallAsync("test.ok")).AssertRefused("rate_limited");
        meter.AssertRefusals(("rate_limited", 1));
        await window.SendCallAsync("test.ok");
        Assert.Equal(4029, await window.WaitForCloseAsync());

        meter.AssertRefusals(("rate_limited", 2), ("rate_limit_abuse", 1));
        Assert.Equal(1, meter.Calls("accepted"));
        Assert.Equal(0, meter.Calls("refused"));
    }

    [Fact]
    public async Task AWindowClosedForRateLimitAbuseIsCountedOnceHoweverManyCallsItHadInFlight()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(s =>
        {
            s.CallRateLimit.Burst = 1;
            s.CallRateLimit.PermitsPerSecond = 1;
            s.CallRateLimit.CloseAfterRefusals = 2;
        }, time);
        using var meter = new SwitchboardMeter(host);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        // A runaway page does not wait for answers: 20 calls in a row, most on the wire before the close arrives (once
        // the server has closed, sending fails).
        var sent = 0;
        try
        {
            for (; sent < 20; sent++)
            {
                await window.SendCallAsync("test.ok");
            }
        }
        catch (WebSocketException)
        {
        }

        Assert.Equal(4029, await window.WaitForCloseAsync());
        Assert.True(sent >= 3, $"only {sent} calls were sent");
        Assert.Equal(1, meter.Refusals("rate_limit_abuse"));
        Assert.Equal(1, meter.Calls("accepted"));
    }

    [Fact]
    public async Task WebSocketPastMaxWindowsIsCountedAsCapacity()
    {
        await using var host = await StartAsync(s => s.MaxWindows = 1);
        using var meter = new SwitchboardMeter(host);
        await using var browser = new TestBrowser();
        await browser.OpenWindowAsync(host);

        await Assert.ThrowsAsync<WebSocketException>(() => browser.ConnectAsync(host));
        await Assert.ThrowsAsync<WebSocketException>(() => browser.ConnectAsync(host));

        meter.AssertRefusals(("capacity", 2));
    }

    [Fact]
    public async Task WindowsGoUpAndDown()
    {
        await using var host = await StartAsync();
        using var meter = new SwitchboardMeter(host);
        await using var browser = new TestBrowser();

        var first = await browser.OpenWindowAsync(host);
        var second = await browser.OpenWindowAsync(host);
        Assert.Equal(2, meter.Windows);
        // A socket still in its handshake is not a window yet.
        var handshaking = await browser.ConnectAsync(host);
        Assert.Equal(2, meter.Windows);

        await first.DisposeAsync();
        await meter.WaitForWindowsAsync(1);
        second.Socket.Abort();
        await meter.WaitForWindowsAsync(0);
        await handshaking.DisposeAsync();
        await browser.OpenWindowAsync(host);
        await meter.WaitForWindowsAsync(1);
    }

    [Fact]
    public async Task CallsAndJobsAreCountedByOutcome()
    {
        await using var host = await StartAsync();
        using var meter = new SwitchboardMeter(host);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync("test.ok")).AssertAccepted();
        (await window.CallAsync("test.fail")).AssertAccepted();
        (await window.CallAsync("test.unknown")).AssertRefused("unknown_signal");
        (await window.CallAsync("test.staff")).AssertRefused("forbidden");
        (await window.CallAsync("not a name")).AssertRefused("invalid_signal_name");
        await window.NextFrameAsync(f => f.IsError("handler_failed"), "handler_failed");
        await meter.WaitForJobsAsync(2);

        Assert.Equal(2, meter.Calls("accepted"));
        Assert.Equal(3, meter.Calls("refused"));
        Assert.Equal(1, meter.Jobs("succeeded"));
        Assert.Equal(1, meter.Jobs("failed"));
        meter.AssertRefusals();
    }

    [Fact]
    public async Task InvokesAreCountedByOutcomeApartFromCallsAndTheirRunsAsJobs()
    {
        await using var host = await StartAsync();
        using var meter = new SwitchboardMeter(host);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        await window.InvokeAsync("test.answer");
        await Assert.ThrowsAsync<InvokeException>(() => window.InvokeAsync("test.unknown"));
        await Assert.ThrowsAsync<InvokeException>(() => window.InvokeAsync("test.ok"));
        await meter.WaitForJobsAsync(1);

        Assert.Equal(1, meter.Invokes("accepted"));
        Assert.Equal(2, meter.Invokes("refused"));
        Assert.Equal(0, meter.Calls("accepted") + meter.Calls("refused"));
        Assert.Equal(1, meter.Jobs("succeeded"));
        meter.AssertRefusals();
    }

    private static Task<SwitchboardHost> StartAsync(Action<SwitchboardOptions>? options = null, TimeProvider? time = null) =>
        SwitchboardHost.StartAsync(o =>
        {
            o.Time = time;
            o.Switchboard = options;
            o.Signals = s =>
            {
                s.MapSignal("test.ok", (WindowInfo w) => { }).AllowEveryone();
                s.MapSignal("test.fail", void (WindowInfo w) => throw new SignalException("no")).AllowEveryone();
                s.MapSignal("test.staff", (WindowInfo w) => { }).AllowedTo(IsStaff.Instance);
                s.MapFunction("test.answer", (WindowInfo w) => 42).AllowEveryone();
            };
        });
}
