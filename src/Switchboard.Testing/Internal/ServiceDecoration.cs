using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Testing.Internal;

/// <summary>
/// Wraps the registration of a singleton seam (the app's own: in-memory, Redis or custom) in a decorator: the original
/// descriptor becomes a keyed service the decorator resolves, so whatever the app registered still builds the inner instance.
/// </summary>
internal static class ServiceDecoration
{
    public static void Decorate<TService>(IServiceCollection services, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"No {typeof(TService).Name} is registered: call services.AddSwitchboard() in the registration given to SwitchboardTestHost.");
        if (original.Lifetime != ServiceLifetime.Singleton)
        {
            throw new InvalidOperationException($"{typeof(TService).Name} must be a singleton (it is registered as {original.Lifetime}).");
        }
        var key = new object();
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                services.RemoveAt(i);
            }
        }
        services.Add(original switch
        {
            { ImplementationInstance: { } instance } => new ServiceDescriptor(typeof(TService), key, instance),
            { ImplementationFactory: { } factory } => new ServiceDescriptor(typeof(TService), key, (sp, _) => factory(sp), ServiceLifetime.Singleton),
            _ => new ServiceDescriptor(typeof(TService), key, original.ImplementationType!, ServiceLifetime.Singleton),
        });
        services.AddSingleton(sp => decorate(sp, sp.GetRequiredKeyedService<TService>(key)));
    }
}
