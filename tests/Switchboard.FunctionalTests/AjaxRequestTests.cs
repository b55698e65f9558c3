using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Requests made by a page (AJAX with the <c>X-Switchboard-Window</c> header carrying its token) act as that page's
/// window, so an endpoint can answer it with WINDOW; signals can also address a user by principal.
/// </summary>
public sealed class AjaxRequestTests : IAsyncLifetime
{
    private SwitchboardHost _host = null!;

    public async Task InitializeAsync() => _host = await SwitchboardHost.StartAsync(o => o.Endpoints = app =>
    {
        app.MapPost("/ajax/window", (HttpContext http, ISignals signals) => signals.CallAsync(http, "test.ajax", to: [Destination.Window]));
        app.MapPost("/ajax/user", (HttpContext http, ISignals signals) => signals.CallAsync(null, "test.by_principal", to: [http.User]));
        app.MapPost("/ajax/default", (HttpContext http, ISignals signals) => signals.CallAsync(http, "test.default_destination"));
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RequestWithThePagesTokenActsAsThatWindow()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);
        var otherTab = await browser.OpenWindowAsync(_host);

        await PostAsync(browser, "ajax/window", window.Token);

        await window.NextSignalAsync("test.ajax");
        await otherTab.PingAsync();
        Assert.DoesNotContain(otherTab.Pending, f => f.IsSignal("test.ajax"));
    }

    [Fact]
    public async Task RequestWithoutATokenIsANewWindowThatReachesNobody()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);

        await PostAsync(browser, "ajax/window", token: null);

        await window.PingAsync();
        Assert.DoesNotContain(window.Pending, f => f.IsSignal("test.ajax"));
    }

    [Fact]
    public async Task TokenOfAnotherUsersPageIsRefusedWith400()
    {
        await using var alice = new TestBrowser();
        await using var mallory = new TestBrowser();
        await alice.LoginAsync(_host, "alice");
        await mallory.LoginAsync(_host, "mallory");
        var aliceWindow = await alice.OpenWindowAsync(_host);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseAddress, "ajax/window"));
        request.Headers.Add("X-Switchboard-Window", aliceWindow.Token);
        using var response = await mallory.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await aliceWindow.PingAsync();
        Assert.DoesNotContain(aliceWindow.Pending, f => f.IsSignal("test.ajax"));
    }

    [Fact]
    public async Task PrincipalAsTopicReachesEveryWindowOfThatUser()
    {
        await using var alice = new TestBrowser();
        await using var bob = new TestBrowser();
        await alice.LoginAsync(_host, "alice");
        await bob.LoginAsync(_host, "bob");
        var tab1 = await alice.OpenWindowAsync(_host);
        var tab2 = await alice.OpenWindowAsync(_host);
        var bobTab = await bob.OpenWindowAsync(_host);

        await PostAsync(alice, "ajax/user", token: null);

        await tab1.NextSignalAsync("test.by_principal");
        await tab2.NextSignalAsync("test.by_principal");
        await bobTab.PingAsync();
        Assert.DoesNotContain(bobTab.Pending, f => f.IsSignal("test.by_principal"));
    }

    [Fact]
    public async Task CallWithoutDestinationFromARequestGoesToTheUser()
    {
        await using var alice = new TestBrowser();
        await alice.LoginAsync(_host, "alice");
        var tab1 = await alice.OpenWindowAsync(_host);
        var tab2 = await alice.OpenWindowAsync(_host);

        await PostAsync(alice, "ajax/default", token: null);

        await tab1.NextSignalAsync("test.default_destination");
        await tab2.NextSignalAsync("test.default_destination");
    }

    private async Task PostAsync(TestBrowser browser, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseAddress, path));
        if (token is not null)
        {
            request.Headers.Add("X-Switchboard-Window", token);
        }
        using var response = await browser.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
