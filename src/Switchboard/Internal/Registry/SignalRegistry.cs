using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Registry;

/// <summary>
/// Every server handler, validated once at startup: invalid names, a missing <see cref="WindowInfo"/> parameter,
/// unsupported parameters, handlers of one signal accepting different arguments, a function with two handlers or
/// named like a signal, or returning what cannot be an answer, throw with a message naming them.
/// </summary>
internal sealed class SignalRegistry
{
    private readonly Dictionary<string, SignalHandlerDescriptor[]> _bySignal;
    private readonly Dictionary<string, SignalHandlerDescriptor> _byFunction;
    private readonly Dictionary<string, SignalHandlerDescriptor> _byId;

    public SignalRegistry(SignalRegistrations registrations, IServiceProvider services, IOptions<SwitchboardOptions> options)
    {
        var isService = services.GetService<IServiceProviderIsService>();
        var defaultQueue = options.Value.DefaultQueue;
        var defaultAttempts = options.Value.Retry.DefaultMaxAttempts;
        var descriptors = registrations.Freeze().Select(r => Build(r, services, isService, defaultQueue, defaultAttempts)).ToList();
        _byId = new Dictionary<string, SignalHandlerDescriptor>(StringComparer.Ordinal);
        foreach (var d in descriptors)
        {
            if (!_byId.TryAdd(d.Id, d))
            {
                throw new InvalidOperationException($"{(d.IsFunction ? "Function" : "Signal")} '{d.Signal}': handler {d.DisplayName} is registered twice (overloaded handler methods are not supported; give them different names).");
            }
        }
        _bySignal = descriptors.Where(d => !d.IsFunction).GroupBy(d => d.Signal, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        foreach (var (signal, handlers) in _bySignal)
        {
            ValidateArgumentSets(signal, handlers);
        }
        _byFunction = new Dictionary<string, SignalHandlerDescriptor>(StringComparer.Ordinal);
        foreach (var function in descriptors.Where(d => d.IsFunction))
        {
            if (_byFunction.TryGetValue(function.Signal, out var first))
            {
                throw new InvalidOperationException(
                    $"Function '{function.Signal}' has two handlers, {first.DisplayName} and {function.DisplayName}: a function has exactly one " +
                    "(its return value is the answer). Remove one, or give it another name.");
            }
            if (_bySignal.TryGetValue(function.Signal, out var signalHandlers))
            {
                throw new InvalidOperationException(
                    $"'{function.Signal}' is both a function ({function.DisplayName}) and a signal ({signalHandlers[0].DisplayName}): " +
                    "a name is one or the other (browsers invoke functions and call signals). Rename one of them.");
            }
            _byFunction.Add(function.Signal, function);
        }
    }

    /// <summary>The names of signals with server handlers (functions aside).</summary>
    public IEnumerable<string> Signals => _bySignal.Keys;

    /// <summary>The names of remote functions.</summary>
    public IEnumerable<string> Functions => _byFunction.Keys;

    /// <summary>The server handlers of a signal (never a function's).</summary>
    public IReadOnlyList<SignalHandlerDescriptor> GetHandlers(string signal) =>
        _bySignal.TryGetValue(signal, out var handlers) ? handlers : [];

    /// <summary>The one handler of a remote function, or null.</summary>
    public SignalHandlerDescriptor? GetFunction(string name) => _byFunction.GetValueOrDefault(name);

    public SignalHandlerDescriptor? GetHandler(string id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// Combines the <c>[Authorize]</c> policies of every handler once, at startup, and checks the policies named by
    /// <c>Policy = "…"</c>: an unknown policy or missing authorization services fail the start with a message naming the handler.
    /// </summary>
    public async Task PrepareAuthorizationAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        foreach (var handler in _byId.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var owner = $"{(handler.IsFunction ? "Function" : "Signal")} '{handler.Signal}': handler {handler.DisplayName}";
            var declared = handler.Permission;
            if (declared is AuthorizedPermission authorized)
            {
                await authorized.PrepareAsync(services);
                declared = authorized.Declared;
            }
            if (declared is PolicyPermission policy)
            {
                await policy.ValidateAsync(services, owner);
            }
        }
    }

    /// <summary>Queue names known without running a selector (for starting workers).</summary>
    public IEnumerable<string> KnownQueues => _byId.Values.SelectMany(d => d.KnownQueues).Distinct(StringComparer.Ordinal);

    private static void ValidateArgumentSets(string signal, SignalHandlerDescriptor[] handlers)
    {
        if (handlers.Length < 2)
        {
            return;
        }
        var union = handlers.SelectMany(h => h.KwargNames).ToHashSet(StringComparer.Ordinal);
        var mismatched = handlers.Where(h => !h.HasCatchAll && !union.SetEquals(h.KwargNames)).ToList();
        if (mismatched.Count == 0)
        {
            return;
        }
        var all = string.Join(" and ", handlers.Select(h => h.Signature));
        var fix = string.Join(", ", mismatched.Select(h => h.DisplayName));
        throw new InvalidOperationException(
            $"Signal '{signal}' has handlers that accept different arguments: {all}. " +
            $"Give them the same parameters, or add a [CatchAll] JsonObject parameter to {fix}.");
    }

    private static SignalHandlerDescriptor Build(
        SignalRegistration r, IServiceProvider services, IServiceProviderIsService? isService, string defaultQueue, int defaultAttempts)
    {
        var maxAttempts = r.MaxAttempts ?? defaultAttempts;
        if (maxAttempts < 1)
        {
            throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} MaxAttempts must be at least 1 (got {maxAttempts}).");
        }
        var parameters = r.Method.GetParameters();
        if (parameters.Length == 0 || parameters[0].ParameterType != typeof(WindowInfo))
        {
            throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} must take a WindowInfo as its first parameter.");
        }
        if (!r.Method.IsStatic && r.Target is null && (r.Method.DeclaringType!.IsAbstract || r.Method.DeclaringType.ContainsGenericParameters))
        {
            throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} is an instance method of a type that cannot be created.");
        }
        var bound = new HandlerParameter[parameters.Length];
        bound[0] = new HandlerParameter(parameters[0].Name ?? "window", typeof(WindowInfo), ParameterKind.Window, false, null);
        for (var i = 1; i < parameters.Length; i++)
        {
            bound[i] = Classify(r, parameters[i], isService);
        }
        if (bound.Count(p => p.Kind == ParameterKind.CatchAll) > 1)
        {
            throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} has more than one [CatchAll] parameter.");
        }
        if (r.IsFunction && HandlerReturn.Of(r.Method.ReturnType).WhyNotAFunctionResult() is { } why)
        {
            throw new InvalidOperationException($"Function '{r.Signal}': handler {r.DisplayName} {why}.");
        }
        var declared = r.Permission ?? (r.PermissionType is { } pt ? CreatePermission(r, pt, services) : null);
        // [Authorize] / [AllowAnonymous] make a handler callable by browsers under their policy (see docs/choices.md).
        var permission = AuthorizeMetadata.Of(r.Method) is { } authorize
            ? authorize.Apply(declared, $"{What(r)} '{r.Signal}': handler {r.DisplayName}")
            : declared ?? ServerSide.Instance;
        var (selectQueue, known, fixedQueue) = BuildQueue(r, services, defaultQueue);
        return new SignalHandlerDescriptor
        {
            Id = r.Id,
            Signal = r.Signal,
            DisplayName = r.DisplayName,
            Method = r.Method,
            Target = r.Target,
            Parameters = bound,
            Permission = permission,
            SelectQueue = selectQueue,
            FixedQueue = fixedQueue,
            KnownQueues = known,
            MaxAttempts = maxAttempts,
            Ordered = r.Ordered,
            IsFunction = r.IsFunction,
            ExpiresAfter = r.ExpiresAfter,
        };
    }

    private static string What(SignalRegistration r) => r.IsFunction ? "Function" : "Signal";

    private static HandlerParameter Classify(SignalRegistration r, ParameterInfo p, IServiceProviderIsService? isService)
    {
        var name = p.Name ?? throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} has an unnamed parameter.");
        var type = p.ParameterType;
        if (type.IsByRef || p.IsOut)
        {
            throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} parameter '{name}' is passed by reference, which is not supported.");
        }
        if (p.GetCustomAttribute<ParamArrayAttribute>() is not null)
        {
            throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} parameter '{name}' is a params array; use a [CatchAll] JsonObject parameter instead.");
        }
        if (type == typeof(CancellationToken))
        {
            return new HandlerParameter(name, type, ParameterKind.CancellationToken, true, null);
        }
        if (p.GetCustomAttribute<CatchAllAttribute>() is not null)
        {
            if (type != typeof(JsonObject))
            {
                throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} parameter '{name}' is marked [CatchAll] but is not a JsonObject.");
            }
            return new HandlerParameter(name, type, ParameterKind.CatchAll, true, null);
        }
        if (type == typeof(WindowInfo))
        {
            throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} takes a second WindowInfo parameter '{name}'.");
        }
        var fromServices = p.GetCustomAttribute<FromServicesAttribute>() is not null;
        if (fromServices || (!IsPlainData(type) && isService?.IsService(type) == true))
        {
            return new HandlerParameter(name, type, ParameterKind.Service, p.HasDefaultValue, null);
        }
        var defaultValue = p.HasDefaultValue ? (p.DefaultValue ?? (type.IsValueType ? Activator.CreateInstance(type) : null)) : null;
        return new HandlerParameter(name, type, ParameterKind.Kwarg, p.HasDefaultValue, defaultValue);
    }

    private static bool IsPlainData(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid) ||
        type == typeof(DateTime) || type == typeof(DateTimeOffset) || Nullable.GetUnderlyingType(type) is not null;

    private static SignalPermission CreatePermission(SignalRegistration r, Type type, IServiceProvider services)
    {
        if (!typeof(SignalPermission).IsAssignableFrom(type))
        {
            throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} IsAllowedTo = {type.FullName}, which does not derive from SignalPermission.");
        }
        var shared = type.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        if (shared is SignalPermission p)
        {
            return p;
        }
        try
        {
            return (SignalPermission)ActivatorUtilities.GetServiceOrCreateInstance(services, type);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} permission {type.FullName} cannot be created: {e.Message}", e);
        }
    }

    private static (Func<string, WindowInfo, JsonObject?, string>, IReadOnlyCollection<string>, string?) BuildQueue(
        SignalRegistration r, IServiceProvider services, string defaultQueue)
    {
        if (r.QueueFunction is { } f)
        {
            return (f, [], null);
        }
        var selector = r.QueueSelector;
        if (selector is null && r.QueueSelectorType is { } t)
        {
            if (!typeof(IQueueSelector).IsAssignableFrom(t))
            {
                throw new InvalidOperationException($"{What(r)} '{r.Signal}': handler {r.DisplayName} QueueSelector = {t.FullName}, which does not implement IQueueSelector.");
            }
            selector = (IQueueSelector)ActivatorUtilities.GetServiceOrCreateInstance(services, t);
        }
        if (selector is not null)
        {
            return (selector.SelectQueue, selector.AvailableQueues, null);
        }
        var queue = string.IsNullOrWhiteSpace(r.Queue) ? defaultQueue : r.Queue;
        return ((_, _, _) => queue, [queue], queue);
    }
}
