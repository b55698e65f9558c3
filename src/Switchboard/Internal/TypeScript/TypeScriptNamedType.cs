namespace Switchboard.Internal.TypeScript;

/// <summary>A type the mapper declares once and refers to by name (an interface or an enum's union).</summary>
internal sealed class TypeScriptNamedType(Type type)
{
    public Type Type { get; } = type;

    /// <summary>Given at the end, when every type is known (<see cref="TypeScriptTypeMapper.Resolve"/>).</summary>
    public string? Name { get; set; }

    /// <summary>The declaration, given the name.</summary>
    public Func<string, string>? Declaration { get; set; }
}
