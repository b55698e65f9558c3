using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Clients without a rendered page (single-page and mobile apps): the window endpoint (<c>MapSwitchboardWindows</c>)
/// hands out windows made as a page's are, a bearer token authenticates the WebSocket upgrade through
/// <c>access_token</c>, and requests carrying <c>X-Switchboard-Window</c> act as that window.
/// </summary>
public sealed class TokenClientTests : IAsyncLifetime
{
    private readonly List<string> _windowKeysSeenByCallback = [];
    private SwitchboardHost _host = null!;

    public async Task InitializeAsync() => _host = await SwitchboardHost.StartAsync(o =>
    {
        o.Services = services => BearerAuth.AddTo(services);
        o.Signals = s => s.MapSend();
        o.Endpoints = app =>
        {
            app.UseAuthorization();
            // Public windows: the topics come from the query and the callback sees the new window.
            app.MapGroup("/public").MapSwitchboardWindows(w => w.Topics = http =>
            {
                lock (_windowKeysSeenByCallback)
                {
                    _windowKeysSeenByCallback.Add(http.GetWindowInfo().WindowKey!);
                }
                return http.Request.Query["room"].Select(room => (object)("room:" + room));
            });
            // Windows of signed-in users only, topics chosen asynchronously from the user.
            app.MapGroup("/private").MapSwitchboardWindows(w => w.TopicsAsync = async (http, ct) =>
            {
                await Task.Yield();
                return ["inbox:" + http.User.Identity!.Name];
            }).RequireAuthorization();
            app.MapPost("/ajax/window", async (HttpContext http, ISignals signals) =>
            {
                await signals.CallAsync(http, "test.ajax", to: [Destination.Window], kwargs: new { user = http.GetWindowInfo().UserId });
                return http.GetWindowKey();
            });
        };
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task WindowEndpointAnswersTheInitObjectWhoseTokenConnects()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(_host.BaseAddress, "public/switchboard/window"), null);

        response.EnsureSuccessStatusCode();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "a window token must not be cached");
        using var init = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(new[] { "url", "token", "v" }, init.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("/switchboard/ws", init.RootElement.GetProperty("url").GetString());
        Assert.Equal(1, init.RootElement.GetProperty("v").GetInt32());
        var page = PageInit.ParseJson(init.RootElement.GetRawText(), response.RequestMessage!.RequestUri!);
        Assert.Equal(_host.WebSocketUri, page.SocketUri); // the url resolves against the endpoint
        var token = page.Token;
        var issued = _host.ReadToken(token);
        Assert.Null(issued.UserId);

        await using var window = await TestWindow.ConnectAsync(_host.WebSocketUri, token, new TestWindowOptions { Timeout = TestTimeouts.Frame });
        await _host.Signals.CallAsync(issued, "test.to_window", to: [Destination.Window]);
        await window.NextSignalAsync("test.to_window");
    }

    [Fact]
    public async Task TheCallbacksTopicsAreTheWindowsTopics()
    {
        using var http = new HttpClient();
        var lobbyToken = await RequestWindowAsync(http, "public/switchboard/window?room=lobby");
        var gamesToken = await RequestWindowAsync(http, "public/switchboard/window?room=games");
        await using var lobby = await ConnectAsync(lobbyToken);
        await using var games = await ConnectAsync(gamesToken);

        lock (_windowKeysSeenByCallback)
        {
            Assert.Contains(_host.ReadToken(lobbyToken).WindowKey, _windowKeysSeenByCallback); // the callback saw the new window
        }
        Assert.NotEqual(_host.ReadToken(lobbyToken).WindowKey, _host.ReadToken(gamesToken).WindowKey);
        await lobby.SendAsync("to-lobby", "room:lobby");
        await lobby.GotAsync("to-lobby");
        await games.AssertNotGotAsync("to-lobby");
        await games.SendAsync("to-games", "room:games");
        await games.GotAsync("to-games");
    }

    [Fact]
    public async Task AuthorizedWindowEndpointRefusesAnonymousAndIssuesBearerUsersWindows()
    {
        using var http = new HttpClient();
        using var anonymous = await http.PostAsync(new Uri(_host.BaseAddress, "private/switchboard/window"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var token = await RequestWindowAsync(http, "private/switchboard/window", BearerAuth.TokenFor("alice"));
        Assert.Equal("alice", _host.ReadToken(token).UserId);

        await using var window = await ConnectAsync(token, BearerAuth.TokenFor("alice"));
        await window.SendAsync("mail", "inbox:alice"); // the async callback's topic
        await window.GotAsync("mail");
    }

    [Fact]
    public async Task BearerUpgradeIsTheTokensUserAndReachesTheUserTopicWithTheCookieWindowsOfThatUser()
    {
        await using var browser = new TestBrowser();
        await browser.LoginAsync(_host, "alice");
        var cookiePage = await browser.OpenWindowAsync(_host);
        await using var bobBrowser = new TestBrowser();
        await bobBrowser.LoginAsync(_host, "bob");
        var bobPage = await bobBrowser.OpenWindowAsync(_host);
        using var http = new HttpClient();
        var token = await RequestWindowAsync(http, "private/switchboard/window", BearerAuth.TokenFor("alice"));

        await using var spa = await ConnectAsync(token, BearerAuth.TokenFor("alice"));

        Assert.Equal(1, spa.Hello.GetProperty("v").GetInt32());
        await spa.SendAsync("hi-alice", "USER");
        await spa.GotAsync("hi-alice");
        await cookiePage.GotAsync("hi-alice"); // one user, whichever way she signed in
        await bobPage.AssertNotGotAsync("hi-alice");
        await _host.Signals.CallAsync(null, "test.by_principal", to: [Principal("alice")]);
        await spa.NextSignalAsync("test.by_principal");
    }

    [Fact]
    public async Task WindowTokenOfOneUserWithAnotherUsersAccessTokenIsRefusedWith4001()
    {
        using var http = new HttpClient();
        var aliceWindow = await RequestWindowAsync(http, "private/switchboard/window", BearerAuth.TokenFor("alice"));

        foreach (var accessToken in new string?[] { BearerAuth.TokenFor("bob"), null, BearerAuth.TokenFor("alice", new SymmetricSecurityKey(new byte[32])) })
        {
            await using var socket = await TestWindow.OpenSocketAsync(_host.WebSocketUri, new TestWindowOptions { Timeout = TestTimeouts.Frame, AccessToken = accessToken });
            await socket.SendConnectAsync(aliceWindow);
            Assert.Equal(4001, await socket.WaitForCloseAsync());
        }
    }

    [Fact]
    public async Task RequestWithTheWindowHeaderActsAsThatWindow()
    {
        using var http = new HttpClient();
        var accessToken = BearerAuth.TokenFor("alice");
        var token = await RequestWindowAsync(http, "private/switchboard/window", accessToken);
        await using var spa = await ConnectAsync(token, accessToken);
        var otherToken = await RequestWindowAsync(http, "private/switchboard/window", accessToken);
        await using var otherWindow = await ConnectAsync(otherToken, accessToken);

        using var response = await PostAjaxAsync(http, accessToken, token);

        response.EnsureSuccessStatusCode();
        Assert.Equal(_host.ReadToken(token).WindowKey, await response.Content.ReadAsStringAsync());
        var signal = await spa.NextSignalAsync("test.ajax");
        Assert.Equal("alice", signal.Opts().GetProperty("user").GetString());
        await otherWindow.PingAsync();
        Assert.DoesNotContain(otherWindow.Pending, f => f.IsSignal("test.ajax"));
    }

    [Fact]
    public async Task ForgedOrForeignWindowHeaderIsRefusedWith400AndTheEndpointDoesNotRun()
    {
        using var http = new HttpClient();
        var alice = BearerAuth.TokenFor("alice");
        var aliceWindow = await RequestWindowAsync(http, "private/switchboard/window", alice);
        await using var window = await ConnectAsync(aliceWindow, alice);

        using var forged = await PostAjaxAsync(http, alice, "CfDJ8forgedforgedforged");
        using var foreign = await PostAjaxAsync(http, BearerAuth.TokenFor("mallory"), aliceWindow);
        using var anonymous = await PostAjaxAsync(http, accessToken: null, aliceWindow);

        foreach (var (response, reason) in new[] { (forged, "not a valid window token"), (foreign, "another user"), (anonymous, "another user") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await window.PingAsync();
        Assert.DoesNotContain(window.Pending, f => f.IsSignal("test.ajax"));
    }

    [Fact]
    public async Task ExpiredWindowHeaderIsRefusedWith400()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Time = time;
            o.Endpoints = app => app.MapPost("/ajax/key", (HttpContext http) => http.GetWindowKey());
        });
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host);

        async Task<HttpResponseMessage> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, "ajax/key"));
            request.Headers.Add("X-Switchboard-Window", token);
            return await browser.Http.SendAsync(request);
        }

        using (var valid = await PostAsync())
        {
            valid.EnsureSuccessStatusCode();
            Assert.Equal(host.ReadToken(token).WindowKey, await valid.Content.ReadAsStringAsync());
        }
        time.Advance(new SwitchboardOptions().WindowTokenLifetime + TimeSpan.FromSeconds(1));
        using var expired = await PostAsync();
        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<string> RequestWindowAsync(HttpClient http, string path, string? accessToken = null) =>
        (await PageInit.RequestWindowAsync(http, new Uri(_host.BaseAddress, path), accessToken)).Token;

    private Task<TestWindow> ConnectAsync(string windowToken, string? accessToken = null) =>
        TestWindow.ConnectAsync(_host.WebSocketUri, windowToken, new TestWindowOptions { Timeout = TestTimeouts.Frame, AccessToken = accessToken });

    private Task<HttpResponseMessage> PostAjaxAsync(HttpClient http, string? accessToken, string windowToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseAddress, "ajax/window"));
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        request.Headers.Add("X-Switchboard-Window", windowToken);
        return http.SendAsync(request);
    }

    private static ClaimsPrincipal Principal(string user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.Name, user)], "test"));
}
