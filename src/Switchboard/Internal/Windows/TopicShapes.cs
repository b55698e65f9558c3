using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Switchboard.Internal.Windows;

/// <summary>
/// Which values the default serializer writes as canonical JSON, and with which key prefix; decided once per type.
/// Named types carry their name (<c>Tenant(1)</c> and <c>Room(1)</c> differ); anonymous types and tuples none, since
/// their runtime names are compiler-made and change between builds.
/// </summary>
internal static class TopicShapes
{
    public const string Prefix = "-obj.";

    // Per type, the key prefix or else the error to throw. The types of a program are bounded.
    private static readonly ConcurrentDictionary<Type, (string? Prefix, string? Error)> Cache = new();

    /// <summary>The prefix of <paramref name="type"/>'s keys; throws a clear ArgumentException when it cannot be a topic.</summary>
    public static string PrefixOf(Type type)
    {
        var (prefix, error) = Cache.GetOrAdd(type, Classify);
        return prefix ?? throw new ArgumentException(error, "topic");
    }

    /// <summary>A struct, or a class that overrides <see cref="object.Equals(object)"/> (records and anonymous types do).</summary>
    public static bool HasValueSemantics(Type type) =>
        type.IsValueType
        || type.GetMethod(nameof(Equals), BindingFlags.Public | BindingFlags.Instance, [typeof(object)])?.DeclaringType != typeof(object);

    public static bool IsAnonymous(Type type) =>
        type.IsClass && type.Name.Contains("AnonymousType", StringComparison.Ordinal) && type.IsDefined(typeof(CompilerGeneratedAttribute), false);

    private static (string?, string?) Classify(Type type)
    {
        var name = TopicTypeNames.Of(type);
        if (typeof(ITuple).IsAssignableFrom(type) || IsAnonymous(type))
        {
            return (Prefix, null);
        }
        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            return (null, $"A {name} is a collection, not one topic: in 'to', list the topics themselves (to: [a, b]); to make one " +
                "topic of several values, use a record or a tuple of them.");
        }
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return (null, $"A {name} is a delegate and cannot be a topic.{WayOut}");
        }
        return HasValueSemantics(type)
            ? (Prefix + name, null)
            : (null, $"A {name} cannot be a topic: it {NoValueSemantics}");
    }

    /// <summary>Why a class without value semantics is refused, and the way out (after "it" or "which").</summary>
    public static string NoValueSemantics =>
        "has no value semantics (it is not a record and does not override Equals), so its key could not tell equal " +
        $"instances from different ones.{WayOut}";

    private static string WayOut =>
        $" Make it a record, implement {nameof(ISignalTopic)}, or register your own {nameof(ITopicSerializer)}.";
}
