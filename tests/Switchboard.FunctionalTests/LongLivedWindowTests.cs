using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.InMemory;

namespace Switchboard.FunctionalTests;

/// <summary>
/// A window that stays connected outlives its token and its stored topic list (docs/windows.md, "Long-lived windows"):
/// it is sent a new token before the old one expires, and its list's time to live is renewed while it is connected; a
/// page whose socket left still expires. On a fake clock, in steps of the renewal sweep's period (one minute here).
/// </summary>
public sealed class LongLivedWindowTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(8);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task ConnectedWindowGetsANewTokenThatReconnectsAfterTheOriginalExpired()
    {
        await using var host = await StartAsync(s => s.WindowTokenLifetime = Lifetime);
        await using var browser = new TestBrowser();
        var original = await browser.LoadPageAsync(host, "room:1");
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(original);
        var start = _time.GetUtcNow();

        // Nothing while more than half of the lifetime is left.
        await StepAsync(window, 3);
        Assert.DoesNotContain(window.Received, f => f.Type() == "token");
        // Renewed between half and three eighths of the lifetime before expiry, at the next sweep.
        await StepAsync(window, 3);
        var first = Assert.Single(window.Received, f => f.Type() == "token");
        var renewedAt = start + TimeSpan.FromMinutes(4);
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(first.GetProperty("expires").GetInt64()),
            renewedAt + Lifetime - TimeSpan.FromSeconds(1), renewedAt + TimeSpan.FromMinutes(2) + Lifetime);
        Assert.NotEqual(original, first.Str("token"));
        Assert.Equal(host.ReadToken(original).WindowKey, host.ReadToken(first.Str("token")!).WindowKey);

        // Past the original token's expiry, still connected: the newest token reconnects, the original is refused.
        await StepAsync(window, 3);
        var renewed = window.Received.Last(f => f.Type() == "token").Str("token")!;
        var refused = await browser.ConnectAsync(host);
        await refused.SendJsonAsync(new { type = "connect", v = 1, token = original });
        Assert.Equal(4001, await refused.WaitForCloseAsync());
        var reconnected = await browser.ConnectAsync(host);
        await reconnected.HandshakeAsync(renewed);
        await host.Signals.CallAsync(null, "test.room", to: ["room:1"]);
        await reconnected.NextSignalAsync("test.room");
    }

    [Fact]
    public async Task RenewedTokenStillBelongsToItsUser()
    {
        await using var host = await StartAsync(s => s.WindowTokenLifetime = Lifetime);
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "alice");
        var window = await browser.OpenWindowAsync(host);

        await StepAsync(window, 6);
        var renewed = window.Received.Single(f => f.Type() == "token").Str("token")!;
        Assert.Equal("alice", host.ReadToken(renewed).UserId);

        await browser.LogoutAsync(host);
        var signedOut = await browser.ConnectAsync(host);
        await signedOut.SendJsonAsync(new { type = "connect", v = 1, token = renewed });
        Assert.Equal(4001, await signedOut.WaitForCloseAsync());
        await browser.LoginAsync(host, "bob");
        var otherUser = await browser.ConnectAsync(host);
        await otherUser.SendJsonAsync(new { type = "connect", v = 1, token = renewed });
        Assert.Equal(4001, await otherUser.WaitForCloseAsync());
        await browser.LoginAsync(host, "alice");
        var again = await browser.ConnectAsync(host);
        await again.HandshakeAsync(renewed);
    }

    [Fact]
    public async Task ConnectedWindowKeepsItsTopicsPastTheirTimeToLive()
    {
        await using var host = await StartAsync(s => s.TopicsTimeToLive = Lifetime);
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room:1");
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);

        await StepAsync(window, 20);

        // A new connection of the window (another tab's view of it, or its own reconnect) still finds its topics.
        var reconnected = await browser.ConnectAsync(host);
        await reconnected.HandshakeAsync(token);
        await host.Signals.CallAsync(null, "test.room", to: ["room:1"]);
        await reconnected.NextSignalAsync("test.room");
        await window.NextSignalAsync("test.room");
    }

    [Fact]
    public async Task ClosedPageKeepsItsTopicsForTheirTimeToLiveAfterItsLastSocketLeftThenLosesThem()
    {
        await using var host = await StartAsync(s => s.TopicsTimeToLive = Lifetime);
        using var meter = new SwitchboardMeter(host);
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room:1");
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);
        await StepAsync(window, 10);
        // Between two sweeps: the last renewal by the sweep was at least 59 s before the socket leaves.
        _time.Advance(TimeSpan.FromSeconds(59));
        await window.PingAsync();

        await window.CloseAsync();
        await meter.WaitForWindowsAsync(0);
        _time.Advance(Lifetime - TimeSpan.FromSeconds(30));
        var back = await browser.ConnectAsync(host);
        await back.HandshakeAsync(token);
        await host.Signals.CallAsync(null, "test.room", to: ["room:1"]);
        await back.NextSignalAsync("test.room");

        await back.CloseAsync();
        await meter.WaitForWindowsAsync(0);
        _time.Advance(Lifetime + Step);
        var late = await browser.ConnectAsync(host);
        await late.HandshakeAsync(token);
        await host.Signals.CallAsync(null, "test.room", to: ["room:1"]);
        await host.Signals.CallAsync(host.ReadToken(token), "test.own", to: [Destination.Window]);
        await late.NextSignalAsync("test.own");
        Assert.DoesNotContain(late.Received, f => f.IsSignal("test.room"));
    }

    [Fact]
    public async Task WindowConnectedToAnotherNodeThanItsPageKeepsItsTopics()
    {
        var keys = Directory.CreateTempSubdirectory("switchboard-keys-");
        try
        {
            DataProtectionProvider.Create(keys, b => b.SetApplicationName(SwitchboardHost.ApplicationName))
                .CreateProtector("warm-up").Protect("key ring");
            var shared = new SwitchboardOptions { TopicsTimeToLive = Lifetime };
            var network = new InMemoryBrokerNetwork(_time, Microsoft.Extensions.Options.Options.Create(shared));
            var store = new InMemoryTopicStore(_time);
            void Node(SwitchboardHostOptions o)
            {
                o.Network = network;
                o.TopicStore = store;
                o.DataProtectionKeys = keys;
            }
            await using var a = await StartAsync(s => s.TopicsTimeToLive = Lifetime, "A", Node);
            await using var b = await StartAsync(s => s.TopicsTimeToLive = Lifetime, "B", Node);
            await using var browser = new TestBrowser();
            var token = await browser.LoadPageAsync(a, "room:1");
            var window = await browser.ConnectAsync(b);
            await window.HandshakeAsync(token);

            await StepAsync(window, 20);

            var onA = await browser.ConnectAsync(a);
            await onA.HandshakeAsync(token);
            await a.Signals.CallAsync(null, "test.room", to: ["room:1"]);
            await onA.NextSignalAsync("test.room");
            await window.NextSignalAsync("test.room");
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }

    private Task<SwitchboardHost> StartAsync(Action<SwitchboardOptions> options, string name = "host", Action<SwitchboardHostOptions>? node = null) =>
        SwitchboardHost.StartAsync(name, o =>
        {
            node?.Invoke(o);
            o.Time = _time;
            o.Switchboard = s =>
            {
                // Hours of fake time pass between pings: only the renewals are under test, not the heartbeat.
                s.ClientTimeout = TimeSpan.FromDays(1);
                options(s);
            };
        });

    /// <summary>Moves the clock <paramref name="steps"/> sweep periods on; after each, a ping round trip, so every frame the sweep sent has arrived.</summary>
    private async Task StepAsync(TestWindow window, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            _time.Advance(Step);
            await window.PingAsync();
        }
    }
}
