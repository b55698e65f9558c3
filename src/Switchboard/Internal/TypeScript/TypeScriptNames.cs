using System.Text;

namespace Switchboard.Internal.TypeScript;

/// <summary>TypeScript spelling: string literals, property names, and the names of the types the mapper declares.</summary>
internal static class TypeScriptNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "any", "unknown", "never", "string", "number", "boolean", "bigint", "symbol", "object", "undefined", "null", "void",
        "true", "false", "this", "type", "interface", "declare", "global", "export", "import", "keyof", "typeof", "infer",
    };

    /// <summary>A property name as written in an interface: bare when it is an identifier, else quoted.</summary>
    public static string PropertyName(string name) => IsIdentifier(name) ? name : Quote(name);

    /// <summary>A TypeScript string literal.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\'' => sb.Append("\\'"),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                _ when c < ' ' || c is '\u2028' or '\u2029' => sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }
        return sb.Append('\'').ToString();
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');

    /// <summary><c>Page&lt;Item&gt;</c> → <c>PageOfItem</c>; a TypeScript keyword gets a trailing underscore.</summary>
    public static string SimpleName(Type type)
    {
        var name = Identifier(type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name);
        if (type.IsGenericType)
        {
            name += "Of" + string.Join("And", type.GetGenericArguments().Select(SimpleName));
        }
        return Reserved.Contains(name) ? name + "_" : name;
    }

    /// <summary>The simple name after the namespace and declaring types: <c>App.Orders.Item</c> → <c>App_Orders_Item</c>.</summary>
    public static string QualifiedName(Type type)
    {
        var prefix = type.DeclaringType is { } outer ? QualifiedName(outer)
            : string.IsNullOrEmpty(type.Namespace) ? "" : Identifier(type.Namespace);
        return (prefix.Length == 0 ? "" : prefix + "_") + SimpleName(type);
    }

    private static string Identifier(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '$' ? c : '_');
        }
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }
        return sb.ToString();
    }
}
