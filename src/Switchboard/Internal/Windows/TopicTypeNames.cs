using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Switchboard.Internal.Windows;

/// <summary>
/// Readable, assembly-free type names for topic keys: <see cref="Type.FullName"/> for a non-generic type
/// (<c>Shop.Order</c>, <c>Shop.Outer+Inner</c>), and C#-like arguments for a generic one
/// (<c>Shop.Box&lt;System.Int32&gt;</c>), where FullName would carry assembly versions that change with each release.
/// </summary>
internal static class TopicTypeNames
{
    private static readonly ConcurrentDictionary<Type, string> Cache = new();

    public static string Of(Type type) => Cache.GetOrAdd(type, Build);

    private static string Build(Type type)
    {
        if (type.IsArray)
        {
            return Of(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }
        if (type.IsGenericParameter || type.IsByRef || type.IsPointer)
        {
            return type.Name;
        }
        if (!type.IsGenericType)
        {
            return type.FullName ?? type.Name;
        }
        var chain = new List<Type>();
        for (var level = type; level is not null; level = level.DeclaringType)
        {
            chain.Insert(0, level);
        }
        // A nested type's arguments are its declaring types' first, then its own: each level takes its arity's share.
        var arguments = type.GetGenericArguments();
        var used = 0;
        var name = new StringBuilder();
        if (type.Namespace is { } ns)
        {
            name.Append(ns).Append('.');
        }
        for (var i = 0; i < chain.Count; i++)
        {
            if (i > 0)
            {
                name.Append('+');
            }
            var levelName = chain[i].Name;
            var tick = levelName.IndexOf('`', StringComparison.Ordinal);
            if (tick < 0 || !int.TryParse(levelName.AsSpan(tick + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var arity))
            {
                name.Append(levelName);
                continue;
            }
            name.Append(levelName, 0, tick).Append('<');
            for (var j = 0; j < arity && used < arguments.Length; j++, used++)
            {
                if (j > 0)
                {
                    name.Append(',');
                }
                name.Append(Of(arguments[used]));
            }
            name.Append('>');
        }
        return name.ToString();
    }
}
