using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.MigrationExamples.FromDjangoFloor;
using AfterChatApp = Switchboard.MigrationExamples.FromSignalR.After.ChatApp;
using AfterOrderNotifier = Switchboard.MigrationExamples.FromSignalR.After.OrderNotifier;

namespace Switchboard.FunctionalTests;

/// <summary>
/// The "after" side of the migration guides (docs/from-djangofloor.md, docs/from-signalr.md) runs as the guides say:
/// each example application is built by its own code, started on Kestrel, and driven by test windows.
/// </summary>
public sealed class MigrationExampleTests
{
    private static readonly string[] Args = ["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"];

    [Fact]
    public async Task TheDjangoFloorExampleChatsReportsAndAnswers()
    {
        await using var app = RoomApp.Build(Args);
        var server = await StartAsync(app);
        try
        {
            await ChatInRoomsAsync(server);
        }
        finally
        {
            await app.StopAsync().DefaultTimeout();
        }
    }

    private static async Task ChatInRoomsAsync(Uri server)
    {
        await using var alice = await TestWindow.OpenPageAsync(new Uri(server, "rooms/lobby"), Options());
        await using var bob = await TestWindow.OpenPageAsync(new Uri(server, "rooms/lobby"), Options());
        await using var carol = await TestWindow.OpenPageAsync(new Uri(server, "rooms/garden"), Options());

        (await alice.CallAsync("room.post", new { room = "lobby", text = "hi" })).EnsureAccepted();
        (await alice.CallAsync("room.post", new { room = "staff", text = "let me in" })).EnsureRefused("forbidden");
        var message = await bob.NextSignalAsync("room.message", o => o.Str("text") == "hi");
        await alice.NextSignalAsync("room.message", o => o.Str("text") == "hi");

        (await alice.CallAsync("room.report", new { steps = 2 })).EnsureAccepted();
        var first = await alice.NextSignalAsync("html.text");
        var second = await alice.NextSignalAsync("html.text");
        var notify = await alice.NextSignalAsync("df.notify");
        var words = await alice.InvokeAsync("room.words", new { text = "one two  three" });

        using var http = new HttpClient();
        using var close = await http.PostAsync(new Uri(server, "rooms/garden/close"), null);
        close.EnsureSuccessStatusCode();
        var closed = await carol.NextSignalAsync("room.closed");
        await carol.PingAsync();
        await bob.PingAsync();

        Assert.Equal("anonymous", message.Opts().Str("from"));
        Assert.Equal("#progress 1/2, #progress 2/2", string.Join(", ",
            from f in new[] { first, second } select f.Opts().Str("selector") + " " + f.Opts().Str("content")));
        Assert.Equal(("Report ready", "success"), (notify.Opts().Str("content"), notify.Opts().Str("level")));
        Assert.Equal(3, words.GetInt32());
        Assert.Equal("garden", closed.Opts().Str("room"));
        Assert.DoesNotContain(carol.Received, f => f.IsSignal("room.message"));
        Assert.DoesNotContain(bob.Received, f => f.IsSignal("room.closed") || f.IsSignal("html.text"));
    }

    [Fact]
    public async Task TheSignalRExampleJoinsSendsInvokesAndReachesAUser()
    {
        await using var app = AfterChatApp.Build(Args);
        app.MapGet("/test/login", async (HttpContext http, string name) =>
        {
            var identity = new ClaimsIdentity([new(ClaimTypes.NameIdentifier, name), new(ClaimTypes.Name, name)],
                CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(new ClaimsPrincipal(identity));
        });
        var server = await StartAsync(app);
        try
        {
            await JoinSendInvokeNotifyAsync(app, server);
        }
        finally
        {
            await app.StopAsync().DefaultTimeout();
        }
    }

    private static async Task JoinSendInvokeNotifyAsync(WebApplication app, Uri server)
    {
        await using var alice = await OpenSignedInWindowAsync(server, "alice");
        await using var bob = await OpenSignedInWindowAsync(server, "bob");

        (await bob.CallAsync("chat.join", new { room = "lobby" })).EnsureAccepted();
        await bob.NextFrameAsync(f => f.Type() == "topics", "bob's topics after chat.join");
        (await alice.CallAsync("chat.join", new { room = "lobby" })).EnsureAccepted();
        (await alice.CallAsync("chat.send", new { room = "lobby", text = "hi" })).EnsureAccepted();
        var atBob = await bob.NextSignalAsync("chat.message", o => o.Str("text") == "hi");
        var atAlice = await alice.NextSignalAsync("chat.message", o => o.Str("text") == "hi");
        var sum = await alice.InvokeAsync("chat.add", new { a = 2, b = 3 });

        await app.Services.GetRequiredService<AfterOrderNotifier>().ShippedAsync("alice", 7);
        var shipped = await alice.NextSignalAsync("orders.shipped");
        await bob.PingAsync();

        Assert.Equal(("alice", "alice"), (atBob.Opts().Str("from"), atAlice.Opts().Str("from")));
        Assert.Equal(5, sum.GetInt32());
        Assert.Equal(7, shipped.Opts().GetProperty("orderId").GetInt32());
        Assert.DoesNotContain(bob.Received, f => f.IsSignal("orders.shipped"));
    }

    private static async Task<Uri> StartAsync(WebApplication app)
    {
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri(address.TrimEnd('/') + "/");
    }

    private static TestWindowOptions Options() => new() { Timeout = TestTimeouts.Frame };

    /// <summary>Signs in with a cookie, then asks the window endpoint for a window, as df.start({windowEndpoint}) does.</summary>
    private static async Task<TestWindow> OpenSignedInWindowAsync(Uri server, string name)
    {
        var options = Options();
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = options.Cookies, UseCookies = true });
        using (var login = await http.GetAsync(new Uri(server, "test/login?name=" + name)))
        {
            login.EnsureSuccessStatusCode();
        }
        var init = await PageInit.RequestWindowAsync(http, new Uri(server, "switchboard/window"));
        return await TestWindow.ConnectAsync(init.SocketUri, init.Token, options);
    }
}
