using System.Reflection;
using System.Text.Json.Nodes;

namespace Switchboard.Registry;

/// <summary>A validated server handler, ready to be bound and invoked.</summary>
internal sealed class SignalHandlerDescriptor
{
    public required string Id { get; init; }
    public required string Signal { get; init; }
    public required string DisplayName { get; init; }
    public required MethodInfo Method { get; init; }
    public object? Target { get; init; }
    public required HandlerParameter[] Parameters { get; init; }
    public required SignalPermission Permission { get; init; }
    public required Func<string, WindowInfo, JsonObject?, string> SelectQueue { get; init; }
    public required int MaxAttempts { get; init; }

    /// <summary>Queues this handler is known to use (empty when a selector cannot tell).</summary>
    public required IReadOnlyCollection<string> KnownQueues { get; init; }

    public bool HasCatchAll => Parameters.Any(p => p.Kind == ParameterKind.CatchAll);

    public IEnumerable<string> KwargNames => Parameters.Where(p => p.Kind == ParameterKind.Kwarg).Select(p => p.Name);

    public string Signature => $"{DisplayName}({string.Join(", ", KwargNames)}{(HasCatchAll ? ", **" : "")})";
}
