using Microsoft.AspNetCore.Mvc.Testing;

namespace Switchboard.Testing.Tests;

/// <summary>
/// The whole app (the demo's Program) started by WebApplicationFactory on real Kestrel, and a TestWindow that opens its
/// page and speaks the protocol over a real WebSocket, as a browser does.
/// </summary>
public sealed class WebApplicationFactoryTests : IAsyncLifetime
{
    private readonly WebApplicationFactory<Program> _factory = new();

    public Task InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AWindowCallsASignalAndGetsTheBrowserSignalItCauses()
    {
        using var client = _factory.CreateClient();
        var options = new TestWindowOptions();
        await using var ada = await TestWindow.OpenPageAsync(new Uri(client.BaseAddress!, "/chat/lobby"), options);
        await using var bob = await TestWindow.OpenPageAsync(new Uri(client.BaseAddress!, "/chat/lobby"), options);

        var answer = await ada.CallAsync("demo.chat.post", new { room = "lobby", text = "hi" });

        Assert.True(answer.Accepted);
        var message = await bob.NextSignalAsync("demo.chat.message", opts => opts.Str("text") == "hi");
        Assert.Equal("lobby", message.Opts().Str("room"));
        await ada.NextSignalAsync("demo.chat.message");
    }

    [Fact]
    public async Task ASignedInWindowOpenedFromItsPageInitGetsItsUsersSignals()
    {
        using var client = _factory.CreateClient();
        var browser = new TestWindowOptions();
        // Requests and the socket share the window's cookie jar, as a browser's do: the page token is bound to the user.
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = browser.Cookies }) { BaseAddress = client.BaseAddress };
        (await http.GetAsync(new Uri("/login?name=ada", UriKind.Relative))).EnsureSuccessStatusCode();

        var init = await PageInit.LoadAsync(http, new Uri(client.BaseAddress!, "/"));
        await using var window = await TestWindow.ConnectAsync(init.SocketUri, init.Token, browser);
        (await window.CallAsync("demo.user.ping")).EnsureAccepted();

        Assert.Contains("demo.user.ping", window.HelloSignals);
        Assert.Equal("ada", (await window.NextSignalAsync("demo.user.pinged")).Opts().Str("from"));
    }

    [Fact]
    public async Task ARefusedCallIsAnsweredRefused()
    {
        using var client = _factory.CreateClient();
        await using var window = await TestWindow.OpenPageAsync(new Uri(client.BaseAddress!, "/"));

        var answer = await window.CallAsync("demo.staff_only");

        Assert.Equal("forbidden", answer.Code);
        Assert.DoesNotContain("demo.staff_only", window.HelloSignals);
    }
}
