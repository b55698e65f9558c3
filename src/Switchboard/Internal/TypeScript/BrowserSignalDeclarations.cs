using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Registry;

namespace Switchboard.Internal.TypeScript;

/// <summary>
/// The opts types the application declared for its browser signals (<see cref="BrowserSignalAttribute"/>,
/// <c>DeclareBrowserSignal</c>): only the generated TypeScript reads them. Each declaration is checked when it is made,
/// so a bad one fails the app's start with a message naming it.
/// </summary>
internal sealed class BrowserSignalDeclarations
{
    private readonly Dictionary<string, (Type Type, string Source)> _items = new(StringComparer.Ordinal);
    private readonly HashSet<Assembly> _scanned = [];

    /// <summary>The declarations of <paramref name="services"/>, added there on first use.</summary>
    public static BrowserSignalDeclarations For(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        lock (services)
        {
            if (services.FirstOrDefault(d => d.ServiceType == typeof(BrowserSignalDeclarations))?.ImplementationInstance is BrowserSignalDeclarations existing)
            {
                return existing;
            }
            var created = new BrowserSignalDeclarations();
            services.AddSingleton(created);
            return created;
        }
    }

    /// <summary>Name → opts type, sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, Type>> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => KeyValuePair.Create(i.Key, i.Value.Type))];
            }
        }
    }

    /// <summary>Declares every type of <paramref name="assembly"/> marked <see cref="BrowserSignalAttribute"/>.</summary>
    public void AddAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        lock (_items)
        {
            if (!_scanned.Add(assembly))
            {
                return;
            }
        }
        foreach (var type in assembly.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (var attribute in type.GetCustomAttributes<BrowserSignalAttribute>())
            {
                Add(attribute.Name, type, $"[BrowserSignal(\"{attribute.Name}\")] on {type.FullName}");
            }
        }
    }

    /// <summary>Declares <paramref name="type"/> as the opts of <paramref name="name"/>; <paramref name="source"/> names the declaration in errors.</summary>
    public void Add(string name, Type type, string source)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!SignalNames.IsValid(name))
        {
            throw new InvalidOperationException($"{source}: invalid signal name '{name}'; it must match {SignalNames.Pattern}.");
        }
        if (BuiltinSignals.All.Contains(name) || name == "df.resync" || LifecycleSignals.IsReserved(name))
        {
            throw new InvalidOperationException(
                $"{source}: '{name}' is a built-in or reserved browser signal; the client's own typings declare its opts (clients/js/types/df.d.ts).");
        }
        if (type.IsGenericTypeDefinition || type.ContainsGenericParameters)
        {
            throw new InvalidOperationException($"{source}: {type.FullName ?? type.Name} is an open generic type; declare a closed one (e.g. Page<Item>).");
        }
        var kind = SwitchboardJson.Options.GetTypeInfo(type).Kind;
        if (type != typeof(JsonObject) && kind is not (JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary))
        {
            throw new InvalidOperationException(
                $"{source}: {type.FullName} is not written as a JSON object (it is {kind}); a signal's opts are an object: use a record or class.");
        }
        lock (_items)
        {
            if (_items.TryGetValue(name, out var existing) && existing.Type != type)
            {
                throw new InvalidOperationException(
                    $"{source}: browser signal '{name}' is already declared with {existing.Type.FullName} ({existing.Source}); a signal has one opts type.");
            }
            _items[name] = (type, source);
        }
    }
}
