using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Switchboard.Internal.Windows;

/// <summary>
/// Canonical JSON of a topic value: System.Text.Json with fixed options of its own (never the application's), property
/// names as declared and sorted ordinally at every depth, canonical numbers, UTC instants, enums by name, no whitespace.
/// Anything inside that could not give the same text for equal values is refused (docs/choices.md#topics).
/// </summary>
internal static class TopicJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { Canonicalize } },
        // ValueTuple and plain structs keep their values in public fields.
        IncludeFields = true,
        // Only what JSON requires is escaped: keys stay readable (é, not \u00E9), and are never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new TopicJsonConverterFactory(), new JsonStringEnumConverter() },
    };

    /// <summary>The canonical JSON of <paramref name="value"/>; a clear ArgumentException naming the type when it cannot be made.</summary>
    public static string Serialize(object value)
    {
        try
        {
            return JsonSerializer.Serialize(value, value.GetType(), Options);
        }
        catch (Exception e) when (e is ArgumentException or JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException($"Cannot make a topic of a {TopicTypeNames.Of(value.GetType())}: {e.Message}", "topic", e);
        }
    }

    private static void Canonicalize(JsonTypeInfo info)
    {
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (!TopicShapes.HasValueSemantics(info.Type))
                {
                    throw new ArgumentException($"it holds a {TopicTypeNames.Of(info.Type)}, which {TopicShapes.NoValueSemantics}");
                }
                // Topics are never read back: no constructor to bind (whose case-insensitive matching refuses { b, B }).
                info.CreateObject = static () => throw new NotSupportedException("Topic keys are written, never read.");
                var sorted = info.Properties.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
                info.Properties.Clear();
                for (var i = 0; i < sorted.Count; i++)
                {
                    sorted[i].Order = i;
                    info.Properties.Add(sorted[i]);
                }
                break;
            case JsonTypeInfoKind.Dictionary:
                throw new ArgumentException(
                    $"it holds a {TopicTypeNames.Of(info.Type)}, a dictionary, whose order is not part of its value: use a record or a list of pairs.");
            case JsonTypeInfoKind.Enumerable when !IsOrdered(info.Type):
                throw new ArgumentException(
                    $"it holds a {TopicTypeNames.Of(info.Type)}, a collection without a defined order: use an array or a list.");
        }
    }

    /// <summary>Arrays and lists: their order is their value's (a HashSet's depends on hash codes, per process).</summary>
    private static bool IsOrdered(Type type) =>
        type.IsArray
        || typeof(IList).IsAssignableFrom(type)
        || (type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IList<>) || d == typeof(IReadOnlyList<>)))
        || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var g && (g == typeof(IList<>) || g == typeof(IReadOnlyList<>)));
}
