using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Internal.Registry;

/// <summary>
/// Tells, from the application's service registrations, whether a handler's services are all singletons: such a handler
/// runs with the root provider instead of a DI scope of its own (a scope and its dictionary per job are ~15% of what a
/// round-trip call allocates). Read after the container is built, when the collection no longer changes.
/// </summary>
internal sealed class SingletonServices(IServiceCollection services)
{
    private readonly ConcurrentDictionary<Type, bool> _known = new();
    private readonly ConcurrentDictionary<SignalHandlerDescriptor, bool> _handlers = new();

    /// <summary>Whether every service <paramref name="handler"/> takes is a singleton (and it is not itself created from DI).</summary>
    public bool Suffice(SignalHandlerDescriptor handler) =>
        _handlers.TryGetValue(handler, out var suffice) ? suffice : _handlers.GetOrAdd(handler, static (h, self) =>
            (h.Target is not null || h.Method.IsStatic) && h.Parameters.All(p => p.Kind != ParameterKind.Service || self.IsSingleton(p.Type)), this);

    private bool IsSingleton(Type type) => _known.GetOrAdd(type, t =>
    {
        // The provider resolves the last registration; open generics (ILogger<T>, IOptions<T>) match by definition.
        var definition = t.IsConstructedGenericType ? t.GetGenericTypeDefinition() : null;
        ServiceDescriptor? exact = null, open = null;
        foreach (var descriptor in services)
        {
            if (descriptor.IsKeyedService)
            {
                continue;
            }
            if (descriptor.ServiceType == t)
            {
                exact = descriptor;
            }
            else if (definition is not null && descriptor.ServiceType == definition)
            {
                open = descriptor;
            }
        }
        // IServiceProvider, IServiceScopeFactory and other built-ins are not registered here: they keep the scope.
        return (exact ?? open)?.Lifetime == ServiceLifetime.Singleton;
    });
}
