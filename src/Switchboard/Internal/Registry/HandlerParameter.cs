namespace Switchboard.Internal.Registry;

/// <summary>How one parameter of a handler gets its value.</summary>
internal sealed record HandlerParameter(string Name, Type Type, ParameterKind Kind, bool IsOptional, object? DefaultValue);
