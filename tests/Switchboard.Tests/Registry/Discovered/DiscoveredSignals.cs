using System.Text.Json.Nodes;

namespace Switchboard.Tests.Registry.Discovered;

// AddSignalsFrom scans the WHOLE test assembly: every [Signal] method of this assembly lives in this namespace,
// and all of them are valid. Invalid declarations are tested with emitted assemblies (EmittedHandlers).

public static class DiscoveredSignals
{
    [Signal("tests.discovered.everyone", IsAllowedTo = typeof(Everyone), Queue = "discovered")]
    public static void ForEveryone(WindowInfo window, string text)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(text);
    }

    [Signal("tests.discovered.permission", Permission = "orders.edit")]
    [Signal("tests.discovered.alias", Ordered = false)]
    public static Task WithPermission(WindowInfo window) => Task.CompletedTask;

    [Signal("tests.discovered.policy", Policy = "editors", Permission = "ignored.when.policy.set", QueueSelector = typeof(RoomQueueSelector))]
    private static void WithPolicy(WindowInfo window, string room, [CatchAll] JsonObject rest)
    {
        ArgumentNullException.ThrowIfNull(window);
        _ = (room, rest);
    }

    /// <summary>Not a handler: no attribute.</summary>
    public static void NotAHandler(WindowInfo window) => ArgumentNullException.ThrowIfNull(window);
}

public sealed class DiscoveredInstanceSignals(DiscoveredDependency dependency)
{
    [Signal("tests.discovered.instance", IsAllowedTo = typeof(PermissionFromServices))]
    public Task Run(WindowInfo window, int count)
    {
        ArgumentNullException.ThrowIfNull(window);
        dependency.Calls.Add(count);
        return Task.CompletedTask;
    }
}

/// <summary>A service the discovered handlers and permissions depend on.</summary>
public sealed class DiscoveredDependency
{
    public List<int> Calls { get; } = [];

    public bool Allow { get; set; } = true;
}

/// <summary>A permission with a constructor dependency, created from DI by the registry.</summary>
public sealed class PermissionFromServices(DiscoveredDependency dependency) : SignalPermission
{
    public DiscoveredDependency Dependency => dependency;

    public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(dependency.Allow);
}

/// <summary>Picks the queue from the "room" argument.</summary>
public sealed class RoomQueueSelector : IQueueSelector
{
    public string SelectQueue(string signal, WindowInfo window, JsonObject? kwargs) => "room-" + (string?)kwargs?["room"];

    public IReadOnlyCollection<string> AvailableQueues => ["room-lobby"];
}

/// <summary>Remote functions found by the same scan (valid ones only, as for signals).</summary>
public static class DiscoveredFunctions
{
    [Function("tests.discovered.add", IsAllowedTo = typeof(Everyone), Queue = "discovered", Ordered = false, ExpiresAfterSeconds = 30, MaxAttempts = 2)]
    public static int Add(WindowInfo window, int a, int b)
    {
        ArgumentNullException.ThrowIfNull(window);
        return a + b;
    }

    [Function("tests.discovered.lookup", Policy = "editors")]
    public static Task<string> Lookup(WindowInfo window, string key) => Task.FromResult(window.UserName + ":" + key);
}
