using System.Reflection;
using System.Text.Json.Nodes;

namespace Switchboard.Internal.Registry;

/// <summary>A validated server handler, ready to be bound and invoked.</summary>
internal sealed class SignalHandlerDescriptor
{
    private bool? _needsScope;
    private byte[]?[]? _utf8KwargNames;

    public required string Id { get; init; }
    public required string Signal { get; init; }
    public required string DisplayName { get; init; }
    public required MethodInfo Method { get; init; }
    public object? Target { get; init; }
    public required HandlerParameter[] Parameters { get; init; }
    public required SignalPermission Permission { get; init; }
    public required Func<string, WindowInfo, JsonObject?, string> SelectQueue { get; init; }

    /// <summary>The queue when it does not depend on the call (no selector): the kwargs need not be parsed for it.</summary>
    public string? FixedQueue { get; init; }
    public required int MaxAttempts { get; init; }

    /// <summary>
    /// Whether a window's calls of this handler run one after another, in the order it made them: their jobs carry the
    /// window key as <see cref="SignalJob.OrderingKey"/>.
    /// </summary>
    public bool Ordered { get; init; } = true;

    /// <summary>Queues this handler is known to use (empty when a selector cannot tell).</summary>
    public required IReadOnlyCollection<string> KnownQueues { get; init; }

    /// <summary><see cref="Id"/> as a one-item list, shared by the jobs that run only this handler.</summary>
    public IReadOnlyList<string> IdAsList => field ??= [Id];

    /// <summary>Whether running the handler needs a DI scope: it takes services, or is an instance method created from DI.</summary>
    public bool NeedsScope => _needsScope ??= (Target is null && !Method.IsStatic) || Parameters.Any(p => p.Kind == ParameterKind.Service);

    /// <summary>Per parameter, its name in UTF-8 when it is a kwarg (null otherwise): what the binder matches kwargs with.</summary>
    public byte[]?[] Utf8KwargNames => _utf8KwargNames ??=
        [.. Parameters.Select(p => p.Kind == ParameterKind.Kwarg ? System.Text.Encoding.UTF8.GetBytes(p.Name) : null)];

    public bool HasCatchAll => Parameters.Any(p => p.Kind == ParameterKind.CatchAll);

    public IEnumerable<string> KwargNames => Parameters.Where(p => p.Kind == ParameterKind.Kwarg).Select(p => p.Name);

    public string Signature => $"{DisplayName}({string.Join(", ", KwargNames)}{(HasCatchAll ? ", **" : "")})";
}
