using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Tests.Permissions;

public sealed class BuiltinPermissionTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    private static readonly Dictionary<string, WindowInfo> Windows = new(StringComparer.Ordinal)
    {
        ["anonymous"] = new() { WindowKey = "k" },
        ["user"] = new() { WindowKey = "k", UserId = "1", UserName = "ada", IsAuthenticated = true, Permissions = ["orders.view"] },
        ["staff"] = new() { WindowKey = "k", UserId = "2", IsAuthenticated = true, IsStaff = true, Roles = ["staff"] },
        ["superuser"] = new() { WindowKey = "k", UserId = "3", IsAuthenticated = true, IsSuperuser = true, Roles = ["superuser"] },
        // Flags without authentication (a forged or stale snapshot) grant nothing.
        ["unauthenticated-flags"] = new() { WindowKey = "k", IsStaff = true, IsSuperuser = true, Permissions = ["orders.view"] },
    };

    private static readonly Dictionary<string, SignalPermission> Permissions = new(StringComparer.Ordinal)
    {
        ["ServerSide"] = ServerSide.Instance,
        ["Everyone"] = Everyone.Instance,
        ["IsAuthenticated"] = IsAuthenticated.Instance,
        ["IsAnonymous"] = IsAnonymous.Instance,
        ["IsStaff"] = IsStaff.Instance,
        ["IsSuperuser"] = IsSuperuser.Instance,
        ["HasPermission(orders.view)"] = new HasPermission("orders.view"),
        ["HasPermission(orders.edit)"] = new HasPermission("orders.edit"),
    };

    [Theory]
    [InlineData("ServerSide", "anonymous", false)]
    [InlineData("ServerSide", "superuser", false)]
    [InlineData("Everyone", "anonymous", true)]
    [InlineData("Everyone", "user", true)]
    [InlineData("IsAuthenticated", "anonymous", false)]
    [InlineData("IsAuthenticated", "user", true)]
    [InlineData("IsAuthenticated", "unauthenticated-flags", false)]
    [InlineData("IsAnonymous", "anonymous", true)]
    [InlineData("IsAnonymous", "user", false)]
    [InlineData("IsStaff", "user", false)]
    [InlineData("IsStaff", "staff", true)]
    [InlineData("IsStaff", "superuser", true)]
    [InlineData("IsStaff", "unauthenticated-flags", false)]
    [InlineData("IsSuperuser", "staff", false)]
    [InlineData("IsSuperuser", "superuser", true)]
    [InlineData("IsSuperuser", "unauthenticated-flags", false)]
    [InlineData("HasPermission(orders.view)", "user", true)]
    [InlineData("HasPermission(orders.edit)", "user", false)]
    [InlineData("HasPermission(orders.edit)", "staff", false)]
    [InlineData("HasPermission(orders.edit)", "superuser", true)]
    [InlineData("HasPermission(orders.view)", "anonymous", false)]
    [InlineData("HasPermission(orders.view)", "unauthenticated-flags", false)]
    public async Task BuiltinPermissionDecidesFromTheWindow(string permission, string window, bool allowed)
    {
        var context = new SignalPermissionContext("tests.permission", Windows[window], new JsonObject(), Services);

        Assert.Equal(allowed, await Permissions[permission].IsAllowedAsync(context, default));
    }

    [Fact]
    public async Task PermissionIsEvaluatedTheSameWithoutKwargs()
    {
        var context = new SignalPermissionContext("tests.permission", Windows["staff"], kwargs: null, Services);

        Assert.True(await IsStaff.Instance.IsAllowedAsync(context, default));
        Assert.False(await IsSuperuser.Instance.IsAllowedAsync(context, default));
    }

    [Fact]
    public void HasPermissionNeedsAPermissionName()
    {
        Assert.Throws<ArgumentException>(() => new HasPermission(" "));
        Assert.Equal("HasPermission(orders.edit)", new HasPermission("orders.edit").ToString());
    }

    [Fact]
    public void PermissionComparisonIsCaseSensitive()
    {
        Assert.False(Windows["user"].HasPermission("Orders.View"));
        Assert.True(Windows["user"].HasPermission("orders.view"));
    }
}
