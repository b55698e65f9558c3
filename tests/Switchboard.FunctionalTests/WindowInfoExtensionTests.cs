using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.Windows;

namespace Switchboard.FunctionalTests;

/// <summary>
/// WindowInfo extensions on real Kestrel (docs/choices.md, WindowInfo extensions): a page under <c>/t/{tenant}</c> sets
/// a tenant extension from its route; the window's WebSocket gets it back from the signed token, and handlers on a worker
/// queue, delayed calls, AJAX requests acting as the window and renewed tokens all read the page's value.
/// </summary>
public sealed class WindowInfoExtensionTests : IAsyncLifetime
{
    private SwitchboardHost _host = null!;

    /// <summary>The tenant of a page's route, as an application would record it.</summary>
    private sealed class TenantExtension : IWindowInfoExtension
    {
        public void Extend(HttpContext context, WindowExtensionBag extensions)
        {
            if (context.GetRouteValue("tenant") is string tenant)
            {
                extensions.Set("tenant", tenant);
            }
        }
    }

    public async Task InitializeAsync() => _host = await StartAsync(time: null);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Task<SwitchboardHost> StartAsync(TimeProvider? time) => SwitchboardHost.StartAsync(o =>
    {
        o.Time = time;
        if (time is not null)
        {
            o.Switchboard = s => (s.WindowTokenLifetime, s.ClientTimeout) = (TimeSpan.FromMinutes(8), TimeSpan.FromDays(1));
        }
        o.Signals = s =>
        {
            s.AddWindowInfoExtension<TenantExtension>();
            // A second extension runs after the first and sees its value.
            s.AddWindowInfoExtension((http, bag) => bag.Set("plan", bag.TryGet<string>("tenant", out var t) && t == "acme" ? "gold" : "free"));
            s.MapSignal("test.tenant", (WindowInfo w, ISignals signals) => signals.CallAsync(w, "test.tenant.is", [Destination.Window],
                new { tenant = w.TryGetExtension<string>("tenant", out var t) ? t : "(none)", plan = w.GetExtension<string>("plan") }))
                .AllowEveryone().OnQueue("tenants");
            // A delayed SERVER call made by a handler: its job carries the window, extensions included.
            s.MapSignal("test.tenant.later", (WindowInfo w, ISignals signals) =>
                signals.CallAsync(w, "test.tenant", [Destination.Server], countdown: TimeSpan.FromMilliseconds(50))).AllowEveryone();
        };
        o.Endpoints = app =>
        {
            app.MapGet("/t/{tenant}", (HttpContext http) => Results.Content(
                "<!doctype html><html><body>" + http.SwitchboardInitHtml() + "</body></html>", "text/html; charset=utf-8"));
            app.MapPost("/t/{tenant}/api/whoami", (HttpContext http) => http.GetWindowInfo().GetExtension<string>("tenant"));
        };
    });

    private static async Task<(TestWindow Window, string Token)> OpenTenantWindowAsync(SwitchboardHost host, TestBrowser browser, string tenant)
    {
        var token = await browser.LoadTokenAsync(host, "t/" + tenant);
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);
        return (window, token);
    }

    private static async Task AssertTenantAsync(TestWindow window, string signal, string tenant, string plan)
    {
        (await window.CallAsync(signal)).AssertAccepted();
        var answer = (await window.NextSignalAsync("test.tenant.is")).Opts();
        Assert.Equal(tenant, answer.Str("tenant"));
        Assert.Equal(plan, answer.Str("plan"));
    }

    [Fact]
    public async Task HandlerOnAWorkerQueueReadsTheTenantItsPageWasRenderedFor()
    {
        await using var browser = new TestBrowser();
        var (acme, _) = await OpenTenantWindowAsync(_host, browser, "acme");
        var (globex, _) = await OpenTenantWindowAsync(_host, browser, "globex");

        await AssertTenantAsync(acme, "test.tenant", "acme", "gold");
        await AssertTenantAsync(globex, "test.tenant", "globex", "free");
    }

    [Fact]
    public async Task PageWithoutTheRouteValueHasNoTenant()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);

        await AssertTenantAsync(window, "test.tenant", "(none)", "free");
    }

    [Fact]
    public async Task DelayedCallOfAHandlerKeepsTheExtensions()
    {
        await using var browser = new TestBrowser();
        var (window, _) = await OpenTenantWindowAsync(_host, browser, "acme");

        await AssertTenantAsync(window, "test.tenant.later", "acme", "gold");
    }

    [Fact]
    public async Task ApiRequestRunsTheExtensionsAndActingAsAPageKeepsThePagesValues()
    {
        await using var browser = new TestBrowser();
        var (_, token) = await OpenTenantWindowAsync(_host, browser, "acme");

        Assert.Equal("other", await WhoAmIAsync(browser, "other", token: null));
        Assert.Equal("acme", await WhoAmIAsync(browser, "other", token));
    }

    [Fact]
    public async Task AlteredTokenIsRefusedAtTheHandshake()
    {
        await using var browser = new TestBrowser();
        var token = await browser.LoadTokenAsync(_host, "t/acme");
        var chars = token.ToCharArray();
        chars[chars.Length / 2] = chars[chars.Length / 2] == 'A' ? 'B' : 'A';

        var window = await browser.ConnectAsync(_host);
        await window.SendJsonAsync(new { type = "connect", v = 1, token = new string(chars) });

        Assert.Equal(4001, await window.WaitForCloseAsync());
    }

    [Fact]
    public async Task RenewedTokenKeepsTheExtensionsAndReconnectsWithThem()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(time);
        await using var browser = new TestBrowser();
        var (window, original) = await OpenTenantWindowAsync(host, browser, "acme");

        // Renewal is due between half and three eighths of the 8-minute lifetime before expiry (LongLivedWindowTests).
        for (var minute = 0; minute < 6; minute++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await window.PingAsync();
        }
        var renewed = window.Received.Single(f => f.Type() == "token").Str("token")!;
        Assert.NotEqual(original, renewed);
        Assert.True(host.Services.GetRequiredService<WindowTokenService>().TryRead(renewed, out var read));
        Assert.Equal("acme", read.Extensions["tenant"].GetString());
        Assert.Equal("gold", read.Extensions["plan"].GetString());

        // Past the original token's expiry: the renewed one reconnects, and its window still has the page's tenant.
        time.Advance(TimeSpan.FromMinutes(3));
        var reconnected = await browser.ConnectAsync(host);
        await reconnected.HandshakeAsync(renewed);
        await AssertTenantAsync(reconnected, "test.tenant", "acme", "gold");
    }

    private async Task<string> WhoAmIAsync(TestBrowser browser, string tenant, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseAddress, $"t/{tenant}/api/whoami"));
        if (token is not null)
        {
            request.Headers.Add("X-Switchboard-Window", token);
        }
        using var response = await browser.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
