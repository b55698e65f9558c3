using System.Reflection;
using System.Text.Json.Nodes;

namespace Switchboard.Internal.Registry;

/// <summary>A handler as declared, before the registry validates it at startup.</summary>
internal sealed class SignalRegistration
{
    public required string Signal { get; init; }
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

    /// <summary>Whether a window's calls of the handler run in the order they were made (see <see cref="SignalAttribute.Ordered"/>).</summary>
    public bool Ordered { get; set; } = true;
}
