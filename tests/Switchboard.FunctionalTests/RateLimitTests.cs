using Microsoft.Extensions.Time.Testing;

namespace Switchboard.FunctionalTests;

/// <summary>
/// The per-window call rate limit (options.md Limits, protocol.md §4 <c>rate_limited</c>, §5 4029): a token bucket of
/// <c>Burst</c> calls refilled at <c>PermitsPerSecond</c>, on a fake clock so nothing refills unless the test says so.
/// </summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private SwitchboardHost _host = null!;
    private TestBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await SwitchboardHost.StartAsync(o =>
        {
            o.Time = _time;
            o.Switchboard = s =>
            {
                s.CallRateLimit.PermitsPerSecond = 2;
                s.CallRateLimit.Burst = 3;
                s.CallRateLimit.CloseAfterRefusals = 4;
            };
            o.Signals = s => s.MapSignal("test.ok", (WindowInfo w) => { }).AllowEveryone();
        });
        _browser = new TestBrowser();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task CallsPastTheBurstAreRefusedRateLimitedAndTheSocketStaysOpen()
    {
        var window = await _browser.OpenWindowAsync(_host);

        for (var i = 0; i < 3; i++)
        {
            (await window.CallAsync("test.ok")).AssertAccepted();
        }
        var message = (await window.CallAsync("test.ok")).AssertRefused("rate_limited");

        Assert.Contains("2 per second", message, StringComparison.Ordinal);
        Assert.Contains("burst 3", message, StringComparison.Ordinal);
        await window.PingAsync();
        Assert.Equal(WebSocketState.Open, window.Socket.State);
    }

    [Fact]
    public async Task TimeRefillsTheBucketAtPermitsPerSecondUpToBurst()
    {
        var window = await _browser.OpenWindowAsync(_host);
        for (var i = 0; i < 3; i++)
        {
            (await window.CallAsync("test.ok")).AssertAccepted();
        }
        (await window.CallAsync("test.ok")).AssertRefused("rate_limited");

        // Half a second at 2 per second: one more call.
        _time.Advance(TimeSpan.FromMilliseconds(500));
        (await window.CallAsync("test.ok")).AssertAccepted();
        (await window.CallAsync("test.ok")).AssertRefused("rate_limited");

        // A pause worth 20 calls fills the bucket to Burst, not more (10 s: well within ClientTimeout).
        _time.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 3; i++)
        {
            (await window.CallAsync("test.ok")).AssertAccepted();
        }
        (await window.CallAsync("test.ok")).AssertRefused("rate_limited");
    }

    [Fact]
    public async Task WindowThatKeepsCallingWhileRateLimitedIsClosedWith4029()
    {
        var window = await _browser.OpenWindowAsync(_host);
        for (var i = 0; i < 3; i++)
        {
            (await window.CallAsync("test.ok")).AssertAccepted();
        }

        // CloseAfterRefusals = 4: three refusals are answered, the fourth rate-limited call in a row closes the socket.
        for (var i = 0; i < 3; i++)
        {
            (await window.CallAsync("test.ok")).AssertRefused("rate_limited");
        }
        var last = await window.SendCallAsync("test.ok");

        Assert.Equal(4029, await window.WaitForCloseAsync());
        Assert.DoesNotContain(window.Received, f => f.Id() == last && f.Type() is "accepted" or "refused");
    }

    [Fact]
    public async Task AnAllowedCallResetsTheRefusalsInARow()
    {
        var window = await _browser.OpenWindowAsync(_host);
        for (var i = 0; i < 3; i++)
        {
            (await window.CallAsync("test.ok")).AssertAccepted();
        }
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 3; i++)
            {
                (await window.CallAsync("test.ok")).AssertRefused("rate_limited");
            }
            _time.Advance(TimeSpan.FromMilliseconds(500));
            (await window.CallAsync("test.ok")).AssertAccepted();
        }

        await window.PingAsync();
        Assert.Equal(WebSocketState.Open, window.Socket.State);
    }

    [Fact]
    public async Task OtherWindowsAreUnaffectedByAWindowThatIsRateLimitedAndClosed()
    {
        var abuser = await _browser.OpenWindowAsync(_host);
        await using var otherBrowser = new TestBrowser();
        var other = await otherBrowser.OpenWindowAsync(_host);
        var sameBrowser = await _browser.OpenWindowAsync(_host);

        for (var i = 0; i < 3; i++)
        {
            await abuser.SendCallAsync("test.ok");
        }
        for (var i = 0; i < 4; i++)
        {
            await abuser.SendCallAsync("test.ok");
        }
        Assert.Equal(4029, await abuser.WaitForCloseAsync());

        // Each window has its own bucket: a full burst each, then refused, independently.
        foreach (var window in new[] { other, sameBrowser })
        {
            for (var i = 0; i < 3; i++)
            {
                (await window.CallAsync("test.ok")).AssertAccepted();
            }
            (await window.CallAsync("test.ok")).AssertRefused("rate_limited");
        }
        Assert.Equal(3, abuser.Received.Count(f => f.Type() == "accepted"));
        Assert.Equal(3, abuser.Received.Count(f => f.Type() == "refused"));
        await other.PingAsync();
        await sameBrowser.PingAsync();
    }
}
