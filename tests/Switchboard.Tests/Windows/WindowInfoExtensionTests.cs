using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Windows;

namespace Switchboard.Tests.Windows;

/// <summary>How registered extensions run on a request's window: order, once per request, signed values, errors.</summary>
public sealed class WindowInfoExtensionTests
{
    private sealed class TenantFromRoute : IWindowInfoExtension
    {
        public int Runs;

        public void Extend(HttpContext context, WindowExtensionBag extensions)
        {
            Interlocked.Increment(ref Runs);
            if (context.GetRouteValue("tenant") is string tenant)
            {
                extensions.Set("tenant", tenant);
            }
        }
    }

    private sealed class Greedy : IWindowInfoExtension
    {
        public void Extend(HttpContext context, WindowExtensionBag extensions) => extensions.Set("blob", new string('x', 2000));
    }

    private static ServiceProvider Services(Action<ISwitchboardBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        configure(services.AddSwitchboard());
        return services.BuildServiceProvider();
    }

    private static DefaultHttpContext Request(IServiceProvider services, string? tenant = null, WindowFeature? feature = null)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        if (tenant is not null)
        {
            http.Request.RouteValues["tenant"] = tenant;
        }
        http.Features.Set(feature ?? new WindowFeature());
        return http;
    }

    [Fact]
    public void ExtensionsRunInRegistrationOrderAndLaterOnesSeeEarlierValues()
    {
        using var services = Services(b => b
            .AddWindowInfoExtension<TenantFromRoute>()
            .AddWindowInfoExtension((http, bag) =>
            {
                bag.Set("tenant_upper", bag.TryGet<string>("tenant", out var tenant) ? tenant.ToUpperInvariant() : "none");
                bag.Set("order", bag.Names.Count);
            }));

        var window = services.GetRequiredService<WindowInfoFactory>().Create(Request(services, "acme"), "k");

        Assert.Equal("acme", window.GetExtension<string>("tenant"));
        Assert.Equal("ACME", window.GetExtension<string>("tenant_upper"));
        Assert.Equal(2, window.GetExtension<int>("order"));
    }

    [Fact]
    public void ExtensionsRunOncePerRequestAndEveryWindowOfTheRequestAgrees()
    {
        using var services = Services(b => b.AddWindowInfoExtension<TenantFromRoute>().AddWindowInfoExtension<TenantFromRoute>());
        var extension = (TenantFromRoute)Assert.Single(services.GetServices<IWindowInfoExtension>());
        var http = Request(services, "acme");

        var first = http.GetWindowInfo();
        var second = http.GetWindowInfo();
        var token = http.GetWindowToken();

        Assert.Equal(1, extension.Runs);
        Assert.Same(first.Extensions, second.Extensions);
        Assert.True(services.GetRequiredService<WindowTokenService>().TryRead(token, out var read));
        Assert.Equal("acme", read.Extensions["tenant"].GetString());
        Assert.Equal(first.WindowKey, read.WindowKey);
    }

    [Fact]
    public void OnARequestActingAsAnOpenWindowTheSignedValuesWin()
    {
        using var services = Services(b => b.AddWindowInfoExtension<TenantFromRoute>().AddWindowInfoExtension((_, bag) => bag.Set("theme", "dark")));
        var signed = new Dictionary<string, JsonElement> { ["tenant"] = JsonSerializer.SerializeToElement("acme") }.ToFrozenDictionary();

        var window = Request(services, "other", new WindowFeature("page-key", signed)).GetWindowInfo();

        Assert.Equal("page-key", window.WindowKey);
        Assert.Equal("acme", window.GetExtension<string>("tenant"));
        Assert.Equal("dark", window.GetExtension<string>("theme"));
    }

    [Fact]
    public void WithoutExtensionsARequestActingAsAnOpenWindowKeepsItsSignedValues()
    {
        using var services = Services(_ => { });
        var signed = new Dictionary<string, JsonElement> { ["tenant"] = JsonSerializer.SerializeToElement("acme") }.ToFrozenDictionary();

        Assert.Equal("acme", Request(services, feature: new WindowFeature("page-key", signed)).GetWindowInfo().GetExtension<string>("tenant"));
        Assert.Empty(Request(services).GetWindowInfo().Extensions);
    }

    [Fact]
    public void OversizedValuesFailTheRenderNamingTheExtensionTypeAndTheField()
    {
        using var services = Services(b => b.AddWindowInfoExtension<Greedy>());

        var e = Assert.Throws<InvalidOperationException>(() => Request(services).SwitchboardInitHtml());

        Assert.Contains(typeof(Greedy).FullName!, e.Message, StringComparison.Ordinal);
        Assert.Contains("'blob'", e.Message, StringComparison.Ordinal);
        Assert.Contains("MaxWindowExtensionsBytes (1024)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADelegateExtensionIsNamedByItsMethod()
    {
        using var services = Services(b => b.AddWindowInfoExtension(SetsTooMuch));

        var e = Assert.Throws<InvalidOperationException>(() => Request(services).GetWindowInfo());

        Assert.Contains("delegate WindowInfoExtensionTests.SetsTooMuch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLimitIsTheOption()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSwitchboard(o => o.MaxWindowExtensionsBytes = 2048).AddWindowInfoExtension<Greedy>();
        using var provider = services.BuildServiceProvider();

        Assert.Equal(2000, Request(provider).GetWindowInfo().GetExtension<string>("blob")!.Length);
    }

    private static void SetsTooMuch(HttpContext http, WindowExtensionBag bag) => bag.Set("blob", new string('x', 2000));
}
