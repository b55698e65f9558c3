using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Windows;

namespace Switchboard.Tests.Permissions;

public sealed class PolicyPermissionTests
{
    private static ServiceProvider Services(bool withAuthorization = true)
    {
        var services = new ServiceCollection().AddLogging();
        if (withAuthorization)
        {
            services.AddAuthorization(o =>
            {
                o.AddPolicy("editors", p => p.RequireRole("editor"));
                o.AddPolicy("sales", p => p.RequireClaim("department", "sales"));
                o.AddPolicy("can-edit-orders", p => p.RequireClaim("permission", "orders.edit"));
                o.AddPolicy("ada-only", p => p.RequireUserName("ada"));
                o.AddPolicy("signed-in", p => p.RequireAuthenticatedUser());
            });
        }
        return services.BuildServiceProvider();
    }

    /// <summary>The snapshot a request by this user produces: the same path as a real call.</summary>
    private static WindowInfo WindowOf(params Claim[] claims)
    {
        var http = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "7"), new Claim(ClaimTypes.Name, "ada"), .. claims], "Cookies")),
        };
        return new WindowInfoFactory(Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions())).Create(http, "key");
    }

    private static async Task<bool> IsAllowed(string policy, WindowInfo window, IServiceProvider services) =>
        await new PolicyPermission(policy).IsAllowedAsync(new SignalPermissionContext("tests.policy", window, null, services), default);

    [Fact]
    public async Task RolePolicyIsSatisfiedByAUserInTheRole()
    {
        using var services = Services();

        Assert.True(await IsAllowed("editors", WindowOf(new Claim(ClaimTypes.Role, "editor")), services));
        Assert.False(await IsAllowed("editors", WindowOf(new Claim(ClaimTypes.Role, "reader")), services));
    }

    [Fact]
    public async Task ClaimPolicyIsSatisfiedThroughTheWindowSnapshot()
    {
        using var services = Services();

        Assert.True(await IsAllowed("sales", WindowOf(new Claim("department", "sales")), services));
        Assert.False(await IsAllowed("sales", WindowOf(new Claim("department", "support")), services));
    }

    [Fact]
    public async Task PolicyOnThePermissionClaimSeesTheUsersPermissions()
    {
        using var services = Services();

        Assert.True(await IsAllowed("can-edit-orders", WindowOf(new Claim("permission", "orders.edit")), services));
        Assert.False(await IsAllowed("can-edit-orders", WindowOf(new Claim("permission", "orders.view")), services));
    }

    [Fact]
    public async Task UserNamePolicySeesTheName()
    {
        using var services = Services();

        Assert.True(await IsAllowed("ada-only", WindowOf(), services));
    }

    [Fact]
    public async Task AnonymousWindowFailsAPolicyNeedingAUser()
    {
        using var services = Services();

        Assert.False(await IsAllowed("signed-in", new WindowInfo { WindowKey = "k" }, services));
        Assert.True(await IsAllowed("signed-in", WindowOf(), services));
    }

    [Fact]
    public async Task SnapshotThatTravelledAsJsonStillSatisfiesThePolicy()
    {
        using var services = Services();
        var window = WindowOf(new Claim(ClaimTypes.Role, "editor"), new Claim("department", "sales"));

        var travelled = System.Text.Json.JsonSerializer.Deserialize<WindowInfo>(System.Text.Json.JsonSerializer.Serialize(window))!;

        Assert.True(await IsAllowed("editors", travelled, services));
        Assert.True(await IsAllowed("sales", travelled, services));
    }

    [Fact]
    public async Task UnknownPolicyNameThrows()
    {
        using var services = Services();

        await Assert.ThrowsAsync<InvalidOperationException>(() => IsAllowed("no-such-policy", WindowOf(), services));
    }

    [Fact]
    public async Task MissingAuthorizationServicesSaysWhatToCall()
    {
        using var services = Services(withAuthorization: false);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => IsAllowed("editors", WindowOf(), services));

        Assert.Contains("AddAuthorization()", e.Message, StringComparison.Ordinal);
        Assert.Contains("'editors'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyNameIsRequired()
    {
        Assert.Throws<ArgumentException>(() => new PolicyPermission(""));
        Assert.Equal("Policy(editors)", new PolicyPermission("editors").ToString());
    }
}
