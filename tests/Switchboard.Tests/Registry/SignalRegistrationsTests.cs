using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Registry;
using Switchboard.Tests.Registry.Discovered;

namespace Switchboard.Tests.Registry;

public sealed class SignalRegistrationsTests
{
    [Fact]
    public void MapSignalAfterTheRegistryWasBuiltThrows()
    {
        var services = new ServiceCollection().AddLogging();
        var builder = services.AddSwitchboard();
        builder.MapSignal("tests.early", (WindowInfo w) => { });
        using var provider = services.BuildServiceProvider();
        Assert.Single(provider.GetRequiredService<SignalRegistry>().GetHandlers("tests.early"));

        var e = Assert.Throws<InvalidOperationException>(() => builder.MapSignal("tests.late", (WindowInfo w) => { }));

        Assert.Contains("registry was already built", e.Message, StringComparison.Ordinal);
        Assert.Empty(provider.GetRequiredService<SignalRegistry>().GetHandlers("tests.late"));
    }

    [Fact]
    public void ConfiguringAHandlerAfterTheRegistryWasBuiltThrows()
    {
        var services = new ServiceCollection().AddLogging();
        var handler = services.AddSwitchboard().MapSignal("tests.early", (WindowInfo w) => { });
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<SignalRegistry>();

        Assert.Throws<InvalidOperationException>(() => handler.AllowEveryone());
        Assert.Throws<InvalidOperationException>(() => handler.OnQueue("late"));
        Assert.Throws<InvalidOperationException>(() => handler.OnQueue((_, _, _) => "late"));
    }

    [Fact]
    public void AddAssemblyAfterFreezeThrows()
    {
        var registrations = new SignalRegistrations();
        registrations.Freeze();

        Assert.Throws<InvalidOperationException>(() => registrations.AddAssembly(typeof(DiscoveredSignals).Assembly));
        Assert.Throws<InvalidOperationException>(() => registrations.AddDelegate("tests.late", (WindowInfo w) => { }));
    }

    [Fact]
    public void FreezeReturnsASnapshotInRegistrationOrder()
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.b", (WindowInfo w) => { });
        registrations.AddDelegate("tests.a", (WindowInfo w) => { });

        Assert.Equal(["tests.b", "tests.a"], registrations.Freeze().Select(r => r.Signal));
    }

    [Fact]
    public void HandlerBuilderSetsPermissionAndQueue()
    {
        var services = new ServiceCollection().AddLogging();
        var builder = services.AddSwitchboard();
        builder.MapSignal("tests.configured", (WindowInfo w) => { }).RequirePermission("orders.edit").OnQueue("orders");
        builder.MapSignal("tests.policy", (WindowInfo w) => { }).RequirePolicy("editors").OnQueue((signal, _, _) => signal + ".queue");
        using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<SignalRegistry>();

        var configured = Assert.Single(registry.GetHandlers("tests.configured"));
        Assert.Equal("orders.edit", Assert.IsType<HasPermission>(configured.Permission).Permission);
        Assert.Equal("orders", configured.SelectQueue("tests.configured", WindowInfo.None, null));
        var policy = Assert.Single(registry.GetHandlers("tests.policy"));
        Assert.Equal("editors", Assert.IsType<PolicyPermission>(policy.Permission).PolicyName);
        Assert.Equal("tests.policy.queue", policy.SelectQueue("tests.policy", WindowInfo.None, null));
        Assert.Empty(policy.KnownQueues);
    }

    [Fact]
    public void AddSignalsFromRegistersTheAssemblysHandlers()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(new DiscoveredDependency());
        services.AddSwitchboard().AddSignalsFrom(typeof(DiscoveredSignals).Assembly);
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetRequiredService<SignalRegistry>().GetHandlers("tests.discovered.everyone"));
    }

    [Fact]
    public void MapSignalWithoutAddSwitchboardSaysWhatToCall()
    {
        var builder = new Internal.Hosting.SwitchboardBuilder(new ServiceCollection());

        var e = Assert.Throws<InvalidOperationException>(() => builder.MapSignal("tests.x", (WindowInfo w) => { }));

        Assert.Contains("AddSwitchboard()", e.Message, StringComparison.Ordinal);
    }
}
