using System.Reflection;

namespace Switchboard.Internal.Registry;

/// <summary>Collects handler declarations until the registry is built at startup; later additions are refused.</summary>
internal sealed class SignalRegistrations
{
    private readonly List<SignalRegistration> _items = [];
    private readonly HashSet<Assembly> _scanned = [];
    private readonly Dictionary<string, int> _delegateCounts = new(StringComparer.Ordinal);
    private bool _frozen;

    public IReadOnlyList<SignalRegistration> Freeze()
    {
        lock (_items)
        {
            _frozen = true;
            ThrowIfADefaultNameIsShared(_items);
            return [.. _items];
        }
    }

    /// <summary>A name taken from a method must be that method's alone (among signals, or among functions).</summary>
    private static void ThrowIfADefaultNameIsShared(List<SignalRegistration> items)
    {
        foreach (var named in items.Where(r => r.DefaultName))
        {
            var other = items.FirstOrDefault(r => r.Signal == named.Signal && r.IsFunction == named.IsFunction && r.Method != named.Method);
            if (other is not null)
            {
                var kind = named.IsFunction ? "function" : "signal";
                throw new InvalidOperationException(
                    $"Two handlers share the {kind} name '{named.Signal}', which {named.DisplayName} takes from its method name: {named.DisplayName} and " +
                    $"{other.DisplayName}. Give one of them a name of its own ([{(named.IsFunction ? "Function" : "Signal")}(\"...\")]).");
            }
        }
    }

    private static string NameOf(string? given, MethodInfo method, string display, string attribute, string kind)
    {
        if (given is not null)
        {
            return SignalNames.IsValid(given)
                ? given
                : throw new InvalidOperationException($"[{attribute}(\"{given}\")] on {display}: invalid {kind} name; it must match {SignalNames.Pattern}.");
        }
        var name = DefaultSignalNames.For(method);
        return SignalNames.IsValid(name)
            ? name
            : throw new InvalidOperationException(
                $"[{attribute}] on {display}: the name taken from the method, '{name}', is not a valid {kind} name (it must match {SignalNames.Pattern}); give it one: [{attribute}(\"...\")].");
    }

    public void AddAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        lock (_items)
        {
            ThrowIfFrozen();
            if (!_scanned.Add(assembly))
            {
                return;
            }
            var methods = assembly.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                .OrderBy(m => m.DeclaringType!.FullName, StringComparer.Ordinal)
                .ThenBy(m => m.MetadataToken);
            foreach (var method in methods)
            {
                foreach (var attribute in method.GetCustomAttributes<SignalAttribute>())
                {
                    _items.Add(FromAttribute(method, attribute));
                }
                foreach (var attribute in method.GetCustomAttributes<FunctionAttribute>())
                {
                    _items.Add(FromAttribute(method, attribute));
                }
            }
        }
    }

    public SignalRegistration AddDelegate(string signal, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        SignalNames.ThrowIfInvalid(signal, nameof(signal));
        lock (_items)
        {
            ThrowIfFrozen();
            _delegateCounts.TryGetValue(signal, out var n);
            _delegateCounts[signal] = n + 1;
            var registration = new SignalRegistration
            {
                Signal = signal,
                Method = handler.Method,
                Target = handler.Target,
                DisplayName = $"MapSignal(\"{signal}\") #{n + 1}",
                Id = $"{signal}#delegate{n + 1}",
            };
            _items.Add(registration);
            return registration;
        }
    }

    /// <summary>A delegate as the one handler of the remote function <paramref name="name"/> (MapFunction).</summary>
    public SignalRegistration AddFunctionDelegate(string name, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        SignalNames.ThrowIfInvalid(name, nameof(name));
        lock (_items)
        {
            ThrowIfFrozen();
            // Counted apart from MapSignal's: a second MapFunction of one name gets its own id, so the registry can name both.
            var key = "function:" + name;
            _delegateCounts.TryGetValue(key, out var n);
            _delegateCounts[key] = n + 1;
            var registration = new SignalRegistration
            {
                Signal = name,
                Method = handler.Method,
                Target = handler.Target,
                DisplayName = $"MapFunction(\"{name}\"){(n == 0 ? "" : $" #{n + 1}")}",
                Id = $"{name}#function{n + 1}",
                IsFunction = true,
            };
            _items.Add(registration);
            return registration;
        }
    }

    public void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("Signals can no longer be registered: the signal registry was already built when the host started. Register them before app.Run().");
        }
    }

    private static SignalRegistration FromAttribute(MethodInfo method, FunctionAttribute attribute)
    {
        var display = $"{method.DeclaringType!.FullName}.{method.Name}";
        var name = NameOf(attribute.Name, method, display, "Function", "function");
        if (!(attribute.ExpiresAfterSeconds >= 0) || double.IsInfinity(attribute.ExpiresAfterSeconds))
        {
            throw new InvalidOperationException($"[Function(\"{attribute.Name}\")] on {display}: ExpiresAfterSeconds must be a finite number >= 0 (got {attribute.ExpiresAfterSeconds}).");
        }
        return new SignalRegistration
        {
            Signal = name,
            DefaultName = attribute.Name is null,
            Method = method,
            DisplayName = display,
            Id = $"{name}@{display}#function",
            Permission = PermissionOf(attribute.IsAllowedTo, attribute.Policy, attribute.Permission),
            PermissionType = attribute.IsAllowedTo,
            Queue = attribute.Queue,
            QueueSelectorType = attribute.QueueSelector,
            MaxAttempts = attribute.MaxAttempts == 1 ? null : attribute.MaxAttempts,
            IsFunction = true,
            Ordered = attribute.Ordered,
            ExpiresAfter = attribute.ExpiresAfterSeconds > 0 ? TimeSpan.FromSeconds(attribute.ExpiresAfterSeconds) : null,
        };
    }

    /// <summary>The permission an attribute names by policy or permission name (null: by type, or none).</summary>
    private static SignalPermission? PermissionOf(Type? isAllowedTo, string? policy, string? permission) =>
        isAllowedTo is not null ? null
        : policy is not null ? new PolicyPermission(policy)
        : permission is not null ? new HasPermission(permission)
        : null;

    private static SignalRegistration FromAttribute(MethodInfo method, SignalAttribute attribute)
    {
        var display = $"{method.DeclaringType!.FullName}.{method.Name}";
        var name = NameOf(attribute.Name, method, display, "Signal", "signal");
        SignalPermission? permission = null;
        if (attribute.IsAllowedTo is null && attribute.Policy is not null)
        {
            permission = new PolicyPermission(attribute.Policy);
        }
        else if (attribute.IsAllowedTo is null && attribute.Permission is not null)
        {
            permission = new HasPermission(attribute.Permission);
        }
        return new SignalRegistration
        {
            Signal = name,
            DefaultName = attribute.Name is null,
            Method = method,
            DisplayName = display,
            Id = $"{name}@{display}",
            Permission = permission,
            PermissionType = attribute.IsAllowedTo,
            Queue = attribute.Queue,
            QueueSelectorType = attribute.QueueSelector,
            MaxAttempts = attribute.MaxAttempts == 1 ? null : attribute.MaxAttempts,
            Ordered = attribute.Ordered,
        };
    }
}
