using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Switchboard.FunctionalTests;

/// <summary>
/// <c>[Authorize]</c> costs no reflection and no policy lookup per call: the attributes are read at registration and the
/// policy combined once at startup, and kept when the provider allows caching (as ASP.NET Core's authorization
/// middleware does); a provider that forbids caching is asked again on every check. Each check runs in a DI scope of its
/// own, so scoped authorization handlers work.
/// </summary>
public sealed class AuthorizePolicyCachingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ThePolicyIsLookedUpOnceAtStartupUnlessTheProviderForbidsCaching(bool allowsCaching)
    {
        var lookups = new LookupCounter();
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Services = services => services.AddSingleton<IAuthorizationPolicyProvider>(sp => new CountingPolicyProvider(
                new DefaultAuthorizationPolicyProvider(sp.GetRequiredService<IOptions<AuthorizationOptions>>()), allowsCaching, lookups));
            o.Signals = s => s.MapSignal("cache.editors", [Authorize(Policy = SwitchboardHost.EditorsPolicy)] (WindowInfo w) => { });
        });
        var atStartup = lookups.Count;
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "ed", "editor");
        var window = await browser.OpenWindowAsync(host);
        Assert.Contains("cache.editors", window.HelloSignals);
        var beforeCalls = lookups.Count;

        for (var i = 0; i < 5; i++)
        {
            (await window.CallAsync("cache.editors")).AssertAccepted();
        }

        Assert.Equal(1, atStartup);
        Assert.Equal(allowsCaching ? 1 : 2, beforeCalls); // the hello's check
        Assert.Equal(beforeCalls + (allowsCaching ? 0 : 5), lookups.Count);
    }

    [Fact]
    public async Task ScopedAuthorizationHandlersWorkForAttributesAndPolicyPermissions()
    {
        // The host runs in Development, where resolving a scoped service from the root provider throws: each check has its own scope.
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Services = services =>
            {
                services.AddScoped<IAuthorizationHandler, ScopedNameHandler>();
                services.AddAuthorization(a => a.AddPolicy("named.ed", p => p.AddRequirements(new NameRequirement("ed"))));
            };
            o.Signals = s =>
            {
                s.MapSignal("scoped.attribute", [Authorize(Policy = "named.ed")] (WindowInfo w) => { });
                s.MapSignal("scoped.permission", (WindowInfo w) => { }).RequirePolicy("named.ed");
            };
        });
        await using var ed = new TestBrowser();
        await using var al = new TestBrowser();
        await ed.LoginAsync(host, "ed");
        await al.LoginAsync(host, "al");
        var edWindow = await ed.OpenWindowAsync(host);
        var alWindow = await al.OpenWindowAsync(host);

        (await edWindow.CallAsync("scoped.attribute")).AssertAccepted();
        (await edWindow.CallAsync("scoped.permission")).AssertAccepted();
        (await alWindow.CallAsync("scoped.attribute")).AssertRefused("forbidden");
        (await alWindow.CallAsync("scoped.permission")).AssertRefused("forbidden");
    }

    private sealed record NameRequirement(string Name) : IAuthorizationRequirement;

    /// <summary>A scoped handler, as apps register handlers that use a DbContext.</summary>
    private sealed class ScopedNameHandler : AuthorizationHandler<NameRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, NameRequirement requirement)
        {
            if (context.User.Identity?.Name == requirement.Name)
            {
                context.Succeed(requirement);
            }
            return Task.CompletedTask;
        }
    }

    private sealed class LookupCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }

    /// <summary>The default provider, counting named-policy lookups, with the caching permission the test chooses.</summary>
    private sealed class CountingPolicyProvider(IAuthorizationPolicyProvider inner, bool allowsCaching, LookupCounter lookups) : IAuthorizationPolicyProvider
    {
        public bool AllowsCachingPolicies => allowsCaching;

        public Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
        {
            lookups.Add();
            return inner.GetPolicyAsync(policyName);
        }

        public Task<AuthorizationPolicy> GetDefaultPolicyAsync() => inner.GetDefaultPolicyAsync();

        public Task<AuthorizationPolicy?> GetFallbackPolicyAsync() => inner.GetFallbackPolicyAsync();
    }
}
