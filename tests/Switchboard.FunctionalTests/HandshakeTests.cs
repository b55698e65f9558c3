using Microsoft.Extensions.Time.Testing;

namespace Switchboard.FunctionalTests;

/// <summary>The upgrade's Origin check and the <c>connect</c> handshake (docs/protocol.md §1).</summary>
public sealed class HandshakeTests
{
    [Theory]
    [InlineData("""{"type":"ping"}""")]
    [InlineData("""{"type":"call","id":1,"signal":"test.ok"}""")]
    [InlineData("not json")]
    [InlineData("""{"v":1}""")]
    public async Task FirstFrameOtherThanConnectClosesWith4008(string first)
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        await browser.LoadPageAsync(host);
        var window = await browser.ConnectAsync(host);

        await window.SendTextAsync(first);

        Assert.Equal(4008, await window.WaitForCloseAsync());
        Assert.DoesNotContain(window.Received, f => f.Type() == "hello");
    }

    [Theory]
    [InlineData("""{"type":"connect","v":2,"token":"TOKEN"}""")]
    [InlineData("""{"type":"connect","v":0,"token":"TOKEN"}""")]
    [InlineData("""{"type":"connect","v":"1","token":"TOKEN"}""")]
    [InlineData("""{"type":"connect","token":"TOKEN"}""")]
    public async Task UnsupportedVersionClosesWith4002(string connect)
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host);
        var window = await browser.ConnectAsync(host);

        await window.SendTextAsync(connect.Replace("TOKEN", token, StringComparison.Ordinal));

        Assert.Equal(4002, await window.WaitForCloseAsync());
    }

    [Theory]
    [InlineData("""{"type":"connect","v":1,"token":"CfDJ8forgedforgedforged"}""")]
    [InlineData("""{"type":"connect","v":1,"token":""}""")]
    [InlineData("""{"type":"connect","v":1,"token":42}""")]
    [InlineData("""{"type":"connect","v":1}""")]
    public async Task ForgedOrMissingTokenClosesWith4001(string connect)
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.ConnectAsync(host);

        await window.SendTextAsync(connect);

        Assert.Equal(4001, await window.WaitForCloseAsync());
    }

    [Fact]
    public async Task TamperedTokenClosesWith4001()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host);
        var window = await browser.ConnectAsync(host);
        var tampered = token[..^4] + (token[^4] == 'A' ? 'B' : 'A') + token[^3..];

        await window.SendJsonAsync(new { type = "connect", v = 1, token = tampered });

        Assert.Equal(4001, await window.WaitForCloseAsync());
    }

    [Fact]
    public async Task TokenOfAnotherUserClosesWith4001()
    {
        await using var host = await StartAsync();
        await using var alice = new TestBrowser();
        await using var bob = new TestBrowser();
        await alice.LoginAsync(host, "alice");
        await bob.LoginAsync(host, "bob");
        var aliceToken = await alice.LoadPageAsync(host);
        var window = await bob.ConnectAsync(host);

        await window.SendJsonAsync(new { type = "connect", v = 1, token = aliceToken });

        Assert.Equal(4001, await window.WaitForCloseAsync());
    }

    [Fact]
    public async Task AnonymousPageTokenUsedBySignedInSocketClosesWith4001()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var anonymousToken = await browser.LoadPageAsync(host);
        await browser.LoginAsync(host, "alice");
        var window = await browser.ConnectAsync(host);

        await window.SendJsonAsync(new { type = "connect", v = 1, token = anonymousToken });

        Assert.Equal(4001, await window.WaitForCloseAsync());
    }

    [Fact]
    public async Task SignedInPageTokenUsedAfterLogoutClosesWith4001()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "alice");
        var token = await browser.LoadPageAsync(host);
        await browser.LogoutAsync(host);
        var window = await browser.ConnectAsync(host);

        await window.SendJsonAsync(new { type = "connect", v = 1, token });

        Assert.Equal(4001, await window.WaitForCloseAsync());
    }

    [Fact]
    public async Task TokenSignedWithOtherKeysClosesWith4001()
    {
        await using var host = await StartAsync();
        await using var otherApp = await StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(otherApp);
        var window = await browser.ConnectAsync(host);

        await window.SendJsonAsync(new { type = "connect", v = 1, token });

        Assert.Equal(4001, await window.WaitForCloseAsync());
    }

    [Fact]
    public async Task ExpiredTokenClosesWith4001()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Time = time;
            o.Switchboard = s => s.WindowTokenLifetime = TimeSpan.FromMinutes(30);
        });
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host);
        var fresh = await browser.ConnectAsync(host);
        await fresh.HandshakeAsync(token);

        time.Advance(TimeSpan.FromMinutes(30));
        var late = await browser.ConnectAsync(host);
        await late.SendJsonAsync(new { type = "connect", v = 1, token });

        Assert.Equal(4001, await late.WaitForCloseAsync());
    }

    [Fact]
    public async Task ForeignOriginIsRefusedWith403BeforeTheUpgrade()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        using var socket = browser.CreateSocket(origin: "http://evil.example");

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(host.WebSocketUri, CancellationToken.None).DefaultTimeout());

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task SameOriginAndNoOriginAreAccepted()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();

        var sameOrigin = await browser.OpenWindowAsync(host, origin: host.BaseAddress.GetLeftPart(UriPartial.Authority));
        var noOrigin = await browser.OpenWindowAsync(host);

        await sameOrigin.PingAsync();
        await noOrigin.PingAsync();
        Assert.Equal(HttpStatusCode.SwitchingProtocols, sameOrigin.Socket.HttpStatusCode);
    }

    [Theory]
    [InlineData("https://app.example", "https://app.example", true)]
    [InlineData("https://app.example/", "https://APP.example", true)]
    [InlineData("https://app.example", "http://app.example", false)]
    [InlineData("https://app.example", "https://app.example:8443", false)]
    [InlineData("https://app.example", "https://app.example.evil.example", false)]
    [InlineData("https://app.example", "null", false)]
    [InlineData("*", "https://anything.example", true)]
    public async Task AllowedOriginsFromOptionsAreAccepted(string allowed, string origin, bool accepted)
    {
        await using var host = await StartAsync(o => o.AllowedOrigins = [allowed]);
        await using var browser = new TestBrowser();

        if (accepted)
        {
            var window = await browser.OpenWindowAsync(host, origin: origin);
            await window.PingAsync();
        }
        else
        {
            using var socket = browser.CreateSocket(origin);
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(host.WebSocketUri, CancellationToken.None).DefaultTimeout());
            Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        }
    }

    [Fact]
    public async Task NoConnectWithinHandshakeTimeoutClosesWith4008()
    {
        await using var host = await StartAsync(o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(200));
        await using var browser = new TestBrowser();

        var window = await browser.ConnectAsync(host);

        Assert.Equal(4008, await window.WaitForCloseAsync());
        Assert.Empty(window.Received);
    }

    [Fact]
    public async Task PlainHttpRequestToTheEndpointGets400()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();

        using var response = await browser.Http.GetAsync(new Uri(host.BaseAddress, "switchboard/ws"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task EachPageGetsItsOwnWindowKey()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();

        var first = host.ReadToken(await browser.LoadPageAsync(host));
        var second = host.ReadToken(await browser.LoadPageAsync(host));

        Assert.NotEqual(first.WindowKey, second.WindowKey);
        Assert.True(first.WindowKey!.Length >= 22, "A window key carries at least 128 random bits.");
    }

    [Fact]
    public async Task ReconnectingWithTheSameTokenKeepsTheWindowAndItsTopics()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room:9");
        var first = await browser.ConnectAsync(host);
        await first.HandshakeAsync(token);
        await first.DisposeAsync();

        var again = await browser.ConnectAsync(host);
        await again.HandshakeAsync(token);
        await host.Signals.CallAsync(null, "test.room", to: ["room:9"]);
        await host.Signals.CallAsync(host.ReadToken(token), "test.window", to: [Destination.Window]);

        await again.NextSignalAsync("test.room");
        await again.NextSignalAsync("test.window");
    }

    [Fact]
    public async Task CallSentRightAfterConnectIsAnsweredAfterHello()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host);
        var window = await browser.ConnectAsync(host);

        await window.SendJsonAsync(new { type = "connect", v = 1, token });
        await window.SendTextAsync("""{"type":"call","id":1,"signal":"test.ok"}""");

        await window.NextFrameAsync(f => f.Id() == 1, "answer");
        Assert.Equal(["hello", "accepted"], window.Received.Select(f => f.Type()));
    }

    [Fact]
    public async Task UnexpectedServerFailureDuringTheHandshakeClosesWith1011()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.TopicStore = new UnreadableTopicStore());
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host);
        var window = await browser.ConnectAsync(host);

        await window.SendJsonAsync(new { type = "connect", v = 1, token });

        Assert.Equal(1011, await window.WaitForCloseAsync());
        Assert.DoesNotContain(window.Received, f => f.Type() == "hello");
    }

    private static Task<SwitchboardHost> StartAsync(Action<SwitchboardOptions>? options = null) =>
        SwitchboardHost.StartAsync(o =>
        {
            o.Switchboard = options;
            o.Signals = s => s.MapSignal("test.ok", (WindowInfo w) => { }).AllowEveryone();
        });

    private sealed class UnreadableTopicStore : ITopicStore
    {
        public ValueTask SetAsync(string windowKey, IReadOnlyList<string> topics, TimeSpan timeToLive, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;

        public ValueTask<IReadOnlyList<string>?> GetAsync(string windowKey, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The topic store is down.");

        public ValueTask<IReadOnlyList<string>?> ChangeAsync(string windowKey, IReadOnlyList<string> add, IReadOnlyList<string> remove, TimeSpan timeToLive, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The topic store is down.");

        public ValueTask<bool> RefreshAsync(string windowKey, TimeSpan timeToLive, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The topic store is down.");
    }
}
