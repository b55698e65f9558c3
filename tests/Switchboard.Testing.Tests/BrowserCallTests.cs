using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Testing.Tests;

/// <summary>Calls as a browser makes them go through the app's dispatcher: permissions, names, functions.</summary>
public sealed class BrowserCallTests
{
    [Fact]
    public async Task ACallWithoutPermissionIsRefusedAndQueuesNothing()
    {
        await using var host = await Apps.StartAsync(o => o.Jobs = TestJobs.Stepped);
        var anonymous = host.NewWindow();
        var ada = host.NewWindow(user: "ada");

        var refused = await host.CallFromBrowserAsync(anonymous, "demo.staff_only");
        var notStaff = await host.CallFromBrowserAsync(ada, "demo.staff_only");

        Assert.False(refused.Accepted);
        Assert.Equal("forbidden", refused.Code);
        Assert.Equal(0, refused.Jobs);
        refused.EnsureRefused("forbidden");
        Assert.Throws<InvalidOperationException>(() => refused.EnsureAccepted());
        Assert.Equal("forbidden", notStaff.Code);
        Assert.Empty(host.PendingJobs);
    }

    [Fact]
    public async Task TheStaffRoleGivesPermission()
    {
        await using var host = await Apps.StartAsync();
        var sam = host.NewWindow(user: "sam", roles: ["staff"]);

        (await host.CallFromBrowserAsync(sam, "demo.staff_only")).EnsureAccepted();
        await host.WhenIdleAsync();

        Assert.True(sam.IsStaff);
        Assert.Equal("sam", host.Sent.To(sam).Single("demo.staff_done").Opts.GetProperty("by").GetString());
    }

    [Fact]
    public async Task UnknownAndServerSideSignalsAreRefusedWithTheirCodes()
    {
        await using var host = await Apps.StartAsync();
        var window = host.NewWindow(user: "ada");

        Assert.Equal("unknown_signal", (await host.CallFromBrowserAsync(window, "nobody.handles.this")).Code);
        // Server-side by default: tests.chain.next has no permission for browsers.
        Assert.Equal("forbidden", (await host.CallFromBrowserAsync(window, "tests.chain.next", new { n = 1 })).Code);
        Assert.Equal("invalid_signal_name", (await host.CallFromBrowserAsync(window, "not a name")).Code);
    }

    [Theory]
    [InlineData(TestJobs.Inline)]
    [InlineData(TestJobs.Stepped)]
    public async Task AFunctionReturnsItsValue(TestJobs jobs)
    {
        await using var host = await Apps.StartAsync(o => o.Jobs = jobs);
        var window = host.NewWindow();

        var sum = await host.InvokeFromBrowserAsync(window, "demo.add", new { a = 2, b = 3.5 });

        Assert.Equal(5.5, sum.GetDouble());
    }

    [Fact]
    public async Task AFunctionRefusedOrFailingThrowsWithItsCode()
    {
        await using var host = await Apps.StartAsync();
        var window = host.NewWindow(user: "ada");

        var refused = await Assert.ThrowsAsync<InvokeException>(() => host.InvokeFromBrowserAsync(window, "demo.me"));
        var failed = await Assert.ThrowsAsync<InvokeException>(() => host.InvokeFromBrowserAsync(window, "demo.fail"));

        Assert.Equal("forbidden", refused.Code);
        Assert.False(refused.FromWorker);
        Assert.Equal("handler_failed", failed.Code);
        Assert.Equal("nope", failed.ErrorMessage);
        Assert.True(failed.FromWorker);
    }

    [Fact]
    public async Task PermissionsSeeTheWindowsPermissionClaims()
    {
        await using var host = await SwitchboardTestHost.StartAsync(services =>
        {
            var switchboard = services.AddSwitchboard();
            switchboard.MapSignal("app.publish", (WindowInfo w) => { }).RequirePermission("posts.publish");
        });
        var editor = host.NewWindow(user: "ed", permissions: ["posts.publish"]);
        var reader = host.NewWindow(user: "rita");

        Assert.True((await host.CallFromBrowserAsync(editor, "app.publish")).Accepted);
        Assert.Equal("forbidden", (await host.CallFromBrowserAsync(reader, "app.publish")).Code);
        Assert.Throws<ArgumentException>(() => { _ = host.NewWindow(roles: ["staff"]); });
    }
}
