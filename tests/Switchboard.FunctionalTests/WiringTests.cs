using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Switchboard.FunctionalTests;

/// <summary>How the library is wired into an app: what a missing call tells the developer, and the path prefix.</summary>
public sealed class WiringTests
{
    [Fact]
    public async Task MapSwitchboardWithoutAddSwitchboardSaysWhatToCall()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapSwitchboard());

        Assert.Contains("AddSwitchboard", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseSwitchboardWithoutAddSwitchboardSaysWhatToCall()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.UseSwitchboard());

        Assert.Contains("AddSwitchboard", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetWebSocketTopicsWithoutUseSwitchboardSaysWhatToCall()
    {
        string? message = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSwitchboard();
        await using var app = builder.Build();
        app.MapGet("/page", (HttpContext http) =>
        {
            var error = Assert.Throws<InvalidOperationException>(() => http.SetWebSocketTopics("room:1"));
            message = error.Message;
        });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient();
            (await http.GetAsync(new Uri(app.Urls.Single() + "/page")).DefaultTimeout()).Dispose();
        }
        finally
        {
            await app.StopAsync();
        }

        Assert.Contains("UseSwitchboard", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PathPrefixMovesTheEndpointTheScriptsAndTheInitUrl()
    {
        await using var host = await SwitchboardHost.StartAsync(o => o.Switchboard = s => s.PathPrefix = "/rt");
        await using var browser = new TestBrowser();

        var window = await browser.OpenWindowAsync(host);
        using var script = await browser.Http.GetAsync(new Uri(host.BaseAddress, "rt/df.js"));
        using var old = await browser.Http.GetAsync(new Uri(host.BaseAddress, "switchboard/df.js"));

        await window.PingAsync();
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task InvalidOptionsFailTheStartWithTheSettingsName()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            SwitchboardHost.StartAsync(o => o.Switchboard = s => s.ClientTimeout = s.HeartbeatInterval));

        Assert.Contains("ClientTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlersWithDifferentArgumentsFailTheStartNamingThem()
    {
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => SwitchboardHost.StartAsync(o => o.Signals = s =>
        {
            s.MapSignal("test.clash", (WindowInfo w, int a) => { });
            s.MapSignal("test.clash", (WindowInfo w, string b) => { });
        }));

        Assert.Contains("test.clash", error.Message, StringComparison.Ordinal);
        Assert.Contains("CatchAll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapSignalOnTheAppRegistersAHandlerUntilTheAppStarts()
    {
        WebApplication? app = null;
        await using var host = await SwitchboardHost.StartAsync(o => o.Endpoints = a =>
        {
            app = a;
            a.MapSignal("test.on_app", (WindowInfo w, ISignals signals) => signals.CallAsync(w, "test.on_app.ran", [Destination.Window]))
                .AllowEveryone();
        });
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync("test.on_app")).AssertAccepted();

        await window.NextSignalAsync("test.on_app.ran");
        var late = Assert.Throws<InvalidOperationException>(() => app!.MapSignal("test.too_late", (WindowInfo w) => { }));
        Assert.Contains("before app.Run()", late.Message, StringComparison.Ordinal);
    }
}
