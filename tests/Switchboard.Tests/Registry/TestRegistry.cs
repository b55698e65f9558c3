using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Registry;

namespace Switchboard.Tests.Registry;

/// <summary>Builds a <see cref="SignalRegistry"/> the way startup does, from registrations and a service provider.</summary>
internal static class TestRegistry
{
    public static SignalRegistry Build(SignalRegistrations registrations, Action<IServiceCollection>? services = null, SwitchboardOptions? options = null) =>
        Build(registrations, out _, services, options);

    public static SignalRegistry Build(
        SignalRegistrations registrations, out ServiceProvider provider, Action<IServiceCollection>? services = null, SwitchboardOptions? options = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        services?.Invoke(collection);
        provider = collection.BuildServiceProvider();
        return new SignalRegistry(registrations, provider, Microsoft.Extensions.Options.Options.Create(options ?? new SwitchboardOptions()));
    }

    /// <summary>The one handler of a registry made of one delegate.</summary>
    public static SignalHandlerDescriptor Describe(Delegate handler, Action<IServiceCollection>? services = null) =>
        Describe(handler, out _, services);

    public static SignalHandlerDescriptor Describe(Delegate handler, out ServiceProvider provider, Action<IServiceCollection>? services = null)
    {
        var registrations = new SignalRegistrations();
        registrations.AddDelegate("tests.bind", handler);
        return Assert.Single(Build(registrations, out provider, services).GetHandlers("tests.bind"));
    }

    /// <summary>Builds and expects startup to fail; returns the message.</summary>
    public static string BuildFails(SignalRegistrations registrations, Action<IServiceCollection>? services = null) =>
        Assert.Throws<InvalidOperationException>(() => Build(registrations, services)).Message;
}
