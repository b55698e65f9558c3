using System.Reflection;
using System.Text.Json.Nodes;

namespace Switchboard.Internal.Registry;

/// <summary>A handler as declared, before the registry validates it at startup.</summary>
internal sealed class SignalRegistration
{
    public required string Signal { get; init; }

    /// <summary>Named after its method (<c>[Signal]</c> or <c>[Function]</c> without a name): such a name may not be shared.</summary>
    public bool DefaultName { get; init; }
    public required MethodInfo Method { get; init; }
    public object? Target { get; init; }
    public required string DisplayName { get; init; }

    /// <summary>Stable across processes running the same code, so a job names the handlers it must run.</summary>
    public required string Id { get; init; }

    public SignalPermission? Permission { get; set; }
    public Type? PermissionType { get; set; }
    public string? Queue { get; set; }
    public IQueueSelector? QueueSelector { get; set; }
    public Type? QueueSelectorType { get; set; }
    public Func<string, WindowInfo, JsonObject?, string>? QueueFunction { get; set; }
    public int? MaxAttempts { get; set; }

    /// <summary>A remote function (one handler, its return value answers the browser) rather than a signal handler.</summary>
    public bool IsFunction { get; init; }

    /// <summary>Whether browser calls of it from one window run in the order they were sent (their jobs carry the window key).</summary>
    public bool Ordered { get; set; } = true;

    /// <summary>A function's invokes not started within this time are answered <c>expired</c>; null: never.</summary>
    public TimeSpan? ExpiresAfter { get; set; }
}
