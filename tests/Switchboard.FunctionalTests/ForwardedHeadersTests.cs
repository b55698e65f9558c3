using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Behind a reverse proxy (docs/deployment.md): the browser's Origin is the public <c>https://chat.example.com</c> while
/// the node sees <c>http://127.0.0.1:PORT</c>. With <c>UseForwardedHeaders</c> trusting the proxy, the Origin check
/// compares against the forwarded scheme and host and passes; without it, or from a proxy it does not trust, it refuses.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string PublicOrigin = "https://chat.example.com";

    [Fact]
    public async Task OriginCheckSeesThePublicSchemeAndHostFromAKnownProxy()
    {
        await using var host = await StartAsync(trustLoopback: true);
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host);

        await using var window = await TestWindow.OpenSocketAsync(host.WebSocketUri, Proxied(browser));
        await window.HandshakeAsync(token);

        await window.PingAsync();
        Assert.Equal(HttpStatusCode.SwitchingProtocols, window.Socket.HttpStatusCode);
    }

    [Fact]
    public async Task ForwardedHeadersFromAnUnknownProxyAreIgnoredAndTheOriginRefused()
    {
        await using var host = await StartAsync(trustLoopback: false);
        await using var browser = new TestBrowser();
        using var socket = Proxied(browser).CreateSocket();

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(host.WebSocketUri, CancellationToken.None).DefaultTimeout());

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task WithoutForwardedHeadersThePublicOriginIsRefused()
    {
        await using var host = await SwitchboardHost.StartAsync();
        await using var browser = new TestBrowser();
        using var socket = Proxied(browser).CreateSocket();

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(host.WebSocketUri, CancellationToken.None).DefaultTimeout());

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    /// <summary>The upgrade as nginx or YARP forwards it: the browser's Origin, and X-Forwarded-* naming the public side.</summary>
    private static TestWindowOptions Proxied(TestBrowser browser)
    {
        var options = browser.WindowOptions(PublicOrigin);
        var configure = options.ConfigureSocket;
        options.ConfigureSocket = socket =>
        {
            configure?.Invoke(socket);
            socket.SetRequestHeader("X-Forwarded-For", "203.0.113.7");
            socket.SetRequestHeader("X-Forwarded-Proto", "https");
            socket.SetRequestHeader("X-Forwarded-Host", "chat.example.com");
        };
        return options;
    }

    /// <summary>A node behind the proxy; the test client (127.0.0.1) is the proxy, trusted or not.</summary>
    private static Task<SwitchboardHost> StartAsync(bool trustLoopback) => SwitchboardHost.StartAsync(o =>
    {
        o.Services = services => services.Configure<ForwardedHeadersOptions>(f =>
        {
            f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            f.AllowedHosts = ["chat.example.com"];
            if (!trustLoopback)
            {
                // The defaults trust loopback: a proxy elsewhere is not trusted until listed.
                f.KnownIPNetworks.Clear();
                f.KnownProxies.Clear();
                f.KnownProxies.Add(IPAddress.Parse("192.0.2.10"));
            }
        });
        o.Middleware = app => app.UseForwardedHeaders();
    });
}
