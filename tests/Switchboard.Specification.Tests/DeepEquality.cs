using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace Switchboard.Specification.Tests;

/// <summary>
/// Compares plain data objects property by property (recursively, lists element by element), so a test that says
/// "every field survives" keeps saying it when a field is added.
/// </summary>
public static class DeepEquality
{
    /// <summary>Fails with the path of the first differing property.</summary>
    public static void AssertEqual(object? expected, object? actual, string path = "$")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}.");
            return;
        }
        var type = expected.GetType();
        if (IsScalar(type))
        {
            Assert.True(Equals(expected, actual), $"{path}: expected {expected}, got {actual}.");
            return;
        }
        if (expected is JsonElement expectedJson && actual is JsonElement actualJson)
        {
            Assert.True(JsonElement.DeepEquals(expectedJson, actualJson), $"{path}: expected {expectedJson.GetRawText()}, got {actualJson.GetRawText()}.");
            return;
        }
        // Dictionaries by key: their enumeration order is not part of their value.
        if (expected is IDictionary expectedMap && actual is IDictionary actualMap)
        {
            Assert.True(expectedMap.Count == actualMap.Count, $"{path}: expected {expectedMap.Count} entries, got {actualMap.Count}.");
            foreach (DictionaryEntry entry in expectedMap)
            {
                Assert.True(actualMap.Contains(entry.Key), $"{path}: no entry {entry.Key}.");
                AssertEqual(entry.Value, actualMap[entry.Key], $"{path}[{entry.Key}]");
            }
            return;
        }
        if (expected is IEnumerable expectedItems && actual is IEnumerable actualItems)
        {
            var e = expectedItems.Cast<object?>().ToList();
            var a = actualItems.Cast<object?>().ToList();
            Assert.True(e.Count == a.Count, $"{path}: expected {e.Count} items, got {a.Count}.");
            for (var i = 0; i < e.Count; i++)
            {
                AssertEqual(e[i], a[i], $"{path}[{i}]");
            }
            return;
        }
        foreach (var property in ReadableProperties(type))
        {
            AssertEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }

    /// <summary>
    /// Fails unless every settable property of <paramref name="sample"/> (recursively) differs from its type's default,
    /// so a round-trip test built on it covers every field.
    /// </summary>
    public static void AssertEveryPropertySet(object sample, string path = "$")
    {
        ArgumentNullException.ThrowIfNull(sample);
        foreach (var property in ReadableProperties(sample.GetType()).Where(p => p.CanWrite))
        {
            var value = property.GetValue(sample);
            var where = $"{path}.{property.Name}";
            Assert.True(value is not null, $"{where} is null in the sample; give it a value.");
            var type = property.PropertyType;
            if (type.IsValueType && Nullable.GetUnderlyingType(type) is null)
            {
                Assert.True(!Equals(value, Activator.CreateInstance(type)), $"{where} has its default value in the sample; give it another.");
            }
            else if (value is IEnumerable items and not string)
            {
                var list = items.Cast<object?>().ToList();
                Assert.True(list.Count > 0, $"{where} is empty in the sample; give it an item.");
                if (list[0] is { } first && !IsScalar(first.GetType()))
                {
                    AssertEveryPropertySet(first, where + "[0]");
                }
            }
            else if (!IsScalar(type) && Nullable.GetUnderlyingType(type) is null)
            {
                AssertEveryPropertySet(value!, where);
            }
        }
    }

    private static IEnumerable<PropertyInfo> ReadableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0);

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid) ||
        type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) ||
        (Nullable.GetUnderlyingType(type) is { } inner && IsScalar(inner));
}
