using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Internal.Connections;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Node and page limits (options.md Limits): <c>MaxWindows</c> WebSockets per node, past which the upgrade gets HTTP 503
/// with Retry-After; <c>MaxTopicsPerWindow</c> topics per page, past which <c>SetWebSocketTopics</c> throws.
/// </summary>
public sealed class WindowLimitTests
{
    [Fact]
    public async Task WebSocketPastMaxWindowsGets503WithRetryAfterAndIsAcceptedOnceAWindowClosed()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.MaxWindows = 2);
        await using var browser = new TestBrowser();
        var first = await browser.OpenWindowAsync(host);
        var second = await browser.OpenWindowAsync(host);

        var refused = await ConnectRefusedAsync(browser, host);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("5", refused.RetryAfter);
        await first.PingAsync();
        await second.PingAsync();

        await first.DisposeAsync();
        await WaitForSocketsAsync(host, 1);
        var third = await browser.OpenWindowAsync(host);
        await third.PingAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ConnectRefusedAsync(browser, host)).StatusCode);
    }

    [Fact]
    public async Task SocketsStillInTheHandshakeCountTowardMaxWindows()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.MaxWindows = 2);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);
        var handshaking = await browser.ConnectAsync(host);

        var refused = await ConnectRefusedAsync(browser, host);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var token = await browser.LoadPageAsync(host);
        await handshaking.HandshakeAsync(token);
        await window.PingAsync();
    }

    [Fact]
    public async Task RefusedUpgradesDoNotLeakSlots()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.MaxWindows = 1);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ConnectRefusedAsync(browser, host)).StatusCode);
        }

        await window.DisposeAsync();
        await WaitForSocketsAsync(host, 0);

        Assert.Equal(0, host.Services.GetRequiredService<WindowConnectionHandler>().Sockets);
        await (await browser.OpenWindowAsync(host)).PingAsync();
    }

    [Fact]
    public async Task PageChoosingMoreThanMaxTopicsPerWindowFailsWithAClearMessage()
    {
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Switchboard = s => s.MaxTopicsPerWindow = 3;
            o.Endpoints = app => app.MapGet("/choose", (HttpContext http, int count) =>
            {
                try
                {
                    http.SetWebSocketTopics([.. Enumerable.Range(0, count).Select(i => "t" + i)]);
                    return "ok";
                }
                catch (InvalidOperationException e)
                {
                    return "refused: " + e.Message;
                }
            });
        });
        await using var browser = new TestBrowser();

        var atLimit = await browser.Http.GetStringAsync(new Uri(host.BaseAddress, "choose?count=3"));
        var overLimit = await browser.Http.GetStringAsync(new Uri(host.BaseAddress, "choose?count=4"));
        using var page = await browser.Http.GetAsync(new Uri(host.BaseAddress, "page?topics=a,b,c,d"));

        Assert.Equal("ok", atLimit);
        Assert.StartsWith("refused: ", overLimit, StringComparison.Ordinal);
        Assert.Contains("4 topics", overLimit, StringComparison.Ordinal);
        Assert.Contains("at most 3", overLimit, StringComparison.Ordinal);
        Assert.Contains("MaxTopicsPerWindow", overLimit, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
    }

    [Fact]
    public async Task PageWithMaxTopicsPerWindowTopicsConnectsWithAllOfThemAndTheDefaultOnes()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.MaxTopicsPerWindow = 3);
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "alice");

        var window = await browser.OpenWindowAsync(host, ["a", "b", "c"]);

        // WINDOW, BROADCAST and USER do not count against the limit.
        Assert.Equal(6, window.Hello.Pos().Count);
        foreach (var topic in new[] { "-str.a", "-str.b", "-str.c", "-broadcast", "-user.alice" })
        {
            Assert.NotNull(window.Hello.PosOf(topic));
        }
    }

    private static async Task<(HttpStatusCode StatusCode, string? RetryAfter)> ConnectRefusedAsync(TestBrowser browser, SwitchboardHost host)
    {
        using var socket = browser.CreateSocket();
        using var timeout = new CancellationTokenSource(TestTimeouts.Frame);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(host.WebSocketUri, timeout.Token));
        var headers = socket.HttpResponseHeaders;
        return (socket.HttpStatusCode, headers is not null && headers.TryGetValue("Retry-After", out var values) ? string.Join(",", values) : null);
    }

    /// <summary>
    /// The server releases a window's slot after its close handshake, a moment after the client saw the close: wait
    /// (bounded, yielding) until it has.
    /// </summary>
    private static async Task WaitForSocketsAsync(SwitchboardHost host, int count)
    {
        var handler = host.Services.GetRequiredService<WindowConnectionHandler>();
        using var timeout = new CancellationTokenSource(TestTimeouts.Frame);
        while (handler.Sockets > count)
        {
            Assert.False(timeout.IsCancellationRequested, $"The node still holds {handler.Sockets} sockets.");
            await Task.Yield();
        }
    }
}
