using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Switchboard.FunctionalTests;

/// <summary>
/// ASP.NET Core's <c>[Authorize]</c>, <c>[Authorize(Policy)]</c>, <c>[Authorize(Roles)]</c> and <c>[AllowAnonymous]</c>
/// on handlers (methods and their classes) decide who may call them from a browser, evaluated with the app's policies
/// against the window's user, over real sockets; a refusal is today's <c>forbidden</c>, logged with the signal name.
/// </summary>
public sealed class AuthorizeAttributeTests : IAsyncLifetime
{
    private readonly FakeLogCollector _logs = new();
    private SwitchboardHost _host = null!;

    public async Task InitializeAsync() => _host = await SwitchboardHost.StartAsync(o =>
    {
        o.Services = services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(_logs));
        o.Switchboard = options => options.Workers.Count = 1;
        o.Signals = s =>
        {
            s.MapSignal("auth.members", MembersOnly.Members);
            s.MapSignal("auth.open", MembersOnly.Open);
            s.MapSignal("auth.editors", MembersOnly.Editors);
            s.MapSignal("auth.roles", MembersOnly.StaffOrAdmin);
            s.MapSignal("auth.lambda_policy", [Authorize(Policy = SwitchboardHost.EditorsPolicy)] (WindowInfo w, ISignals signals) =>
                Ran(w, signals, "auth.lambda_policy"));
            // Both the declared permission (staff) and the policy (editor) must pass.
            s.MapSignal("auth.staff_editors", [Authorize(Policy = SwitchboardHost.EditorsPolicy)] (WindowInfo w, ISignals signals) =>
                Ran(w, signals, "auth.staff_editors")).AllowedTo(IsStaff.Instance);
            s.MapSignal("auth.plain", (WindowInfo w, ISignals signals) => Ran(w, signals, "auth.plain"));
            s.MapFunction("auth.whoami", [Authorize] (WindowInfo w) => w.UserName);
            s.MapFunction("auth.hello", [AllowAnonymous] (WindowInfo w) => "hello " + (w.UserName ?? "stranger"));
        };
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ClassLevelAuthorizeRefusesAnonymousAndAllowAnonymousOverridesIt()
    {
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(_host);

        var message = (await window.CallAsync("auth.members")).AssertRefused("forbidden");
        Assert.Contains("auth.members", message, StringComparison.Ordinal);
        Assert.Equal(1, (await window.CallAsync("auth.open")).AssertAccepted());
        await window.NextSignalAsync("auth.open.ran");
        await AssertNeverRanAsync(window, "auth.members");

        // Refused as any refusal: event ForbiddenCall naming the signal.
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 1102 && r.GetStructuredStateValue("Signal") == "auth.members");
    }

    [Fact]
    public async Task SignedInUserPassesClassLevelAuthorize()
    {
        await using var browser = new TestBrowser();
        await browser.LoginAsync(_host, "alice");
        var window = await browser.OpenWindowAsync(_host);

        Assert.Equal(1, (await window.CallAsync("auth.members")).AssertAccepted());
        await window.NextSignalAsync("auth.members.ran");
    }

    [Theory]
    [InlineData("auth.editors", "editor", true)]
    [InlineData("auth.editors", "staff", false)]
    [InlineData("auth.lambda_policy", "editor", true)]
    [InlineData("auth.lambda_policy", "staff", false)]
    [InlineData("auth.roles", "staff", true)]
    [InlineData("auth.roles", "admin", true)]
    [InlineData("auth.roles", "editor", false)]
    [InlineData("auth.staff_editors", "staff,editor", true)]
    [InlineData("auth.staff_editors", "editor", false)]
    [InlineData("auth.staff_editors", "staff", false)]
    public async Task PoliciesAndRolesDecideWhoMayCall(string signal, string roles, bool allowed)
    {
        await using var browser = new TestBrowser();
        await browser.LoginAsync(_host, "user-" + roles.Replace(',', '-'), roles.Split(','));
        var window = await browser.OpenWindowAsync(_host);

        var answer = await window.CallAsync(signal);

        if (allowed)
        {
            Assert.Equal(1, answer.AssertAccepted());
            await window.NextSignalAsync(signal + ".ran");
            Assert.Contains(signal, window.HelloSignals);
        }
        else
        {
            answer.AssertRefused("forbidden");
            Assert.DoesNotContain(signal, window.HelloSignals);
            await AssertNeverRanAsync(window, signal);
        }
    }

    [Theory]
    [InlineData(null, "auth.open")]
    [InlineData("alice", "auth.members,auth.open")]
    [InlineData("ed", "auth.editors,auth.lambda_policy,auth.members,auth.open")]
    public async Task HelloListsTheSignalsTheAttributesAllow(string? user, string expected)
    {
        await using var browser = new TestBrowser();
        if (user is not null)
        {
            await browser.LoginAsync(_host, user, user == "ed" ? ["editor"] : []);
        }

        var window = await browser.OpenWindowAsync(_host);

        // auth.plain has no attribute and no permission: server-side only, as before.
        Assert.Equal(expected.Split(','), window.HelloSignals);
    }

    [Fact]
    public async Task InvokesHonourAuthorizeAndAllowAnonymous()
    {
        await using var anonymous = new TestBrowser();
        await using var signedIn = new TestBrowser();
        await signedIn.LoginAsync(_host, "bob");
        var stranger = await anonymous.OpenWindowAsync(_host);
        var bob = await signedIn.OpenWindowAsync(_host);

        var refused = await Assert.ThrowsAsync<InvokeException>(() => stranger.InvokeAsync("auth.whoami"));
        Assert.Equal("forbidden", refused.Code);
        Assert.Equal("hello stranger", (await stranger.InvokeAsync("auth.hello")).GetString());
        Assert.Equal("bob", (await bob.InvokeAsync("auth.whoami")).GetString());
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Id == 1121 && r.GetStructuredStateValue("Function") == "auth.whoami");
    }

    [Fact]
    public async Task UnknownPolicyFailsTheStartNamingTheHandlerAndThePolicy()
    {
        await using var app = WebNode(services =>
        {
            services.AddAuthorization(o => o.AddPolicy("known", p => p.RequireAuthenticatedUser()));
            services.AddSwitchboard().MapSignal("auth.typo", [Authorize(Policy = "knwon")] (WindowInfo w) => { });
        });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync().WaitAsync(TestTimeouts.Frame));

        Assert.Contains("auth.typo", e.Message, StringComparison.Ordinal);
        Assert.Contains("knwon", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownPolicyNamedByRequirePolicyFailsTheStartToo()
    {
        await using var app = WebNode(services =>
        {
            services.AddAuthorization(o => o.AddPolicy("known", p => p.RequireAuthenticatedUser()));
            services.AddSwitchboard().MapFunction("auth.lookup", (WindowInfo w) => 1).RequirePolicy("unknwon");
        });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync().WaitAsync(TestTimeouts.Frame));

        Assert.Contains("auth.lookup", e.Message, StringComparison.Ordinal);
        Assert.Contains("unknwon", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizeWithoutAuthorizationServicesFailsTheStart()
    {
        await using var app = WebNode(services =>
            services.AddSwitchboard().MapSignal("auth.unconfigured", [Authorize] (WindowInfo w) => { }));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync().WaitAsync(TestTimeouts.Frame));

        Assert.Contains("auth.unconfigured", e.Message, StringComparison.Ordinal);
        Assert.Contains("AddAuthorization", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWorkerOnlyProcessNeedsNoPolicies()
    {
        // No MapSwitchboard: no browser connects here, so no permission is ever evaluated in this process.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSwitchboard().MapSignal("auth.worker", [Authorize(Policy = "defined.on.the.web.nodes")] (WindowInfo w) => { });
        using var host = builder.Build();

        await host.StartAsync().WaitAsync(TestTimeouts.Frame);
        await host.StopAsync().WaitAsync(TestTimeouts.Frame);
    }

    /// <summary>A web node on a free port that maps Switchboard (and so checks its handlers' policies at start).</summary>
    private static WebApplication WebNode(Action<IServiceCollection> services)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        services(builder.Services);
        var app = builder.Build();
        app.UseSwitchboard();
        app.MapSwitchboard();
        return app;
    }

    /// <summary>After a later accepted call has been fully processed (one worker: in order), the refused handler still never ran.</summary>
    private static async Task AssertNeverRanAsync(TestWindow window, string signal)
    {
        (await window.CallAsync("auth.open")).AssertAccepted();
        await window.NextSignalAsync("auth.open.ran");
        await window.PingAsync();
        Assert.DoesNotContain(window.Pending, f => f.IsSignal(signal + ".ran"));
    }

    private static Task Ran(WindowInfo window, ISignals signals, string signal) =>
        signals.CallAsync(window, signal + ".ran", [Destination.Window]);

    /// <summary>Handlers of a class marked <c>[Authorize]</c>: signed-in users only, unless a method says otherwise.</summary>
    [Authorize]
    private static class MembersOnly
    {
        public static Task Members(WindowInfo window, ISignals signals) => Ran(window, signals, "auth.members");

        [AllowAnonymous]
        public static Task Open(WindowInfo window, ISignals signals) => Ran(window, signals, "auth.open");

        [Authorize(Policy = SwitchboardHost.EditorsPolicy)]
        public static Task Editors(WindowInfo window, ISignals signals) => Ran(window, signals, "auth.editors");

        [Authorize(Roles = "staff,admin")]
        public static Task StaffOrAdmin(WindowInfo window, ISignals signals) => Ran(window, signals, "auth.roles");
    }
}
