using System.Buffers;
using System.Collections.Frozen;
using System.Text.Json;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Windows;

/// <summary>
/// The rules of window info extensions in one place: names, the JSON of values (<see cref="SwitchboardJson.Options"/>, the
/// conventions of kwargs) and the size of the whole <c>extensions</c> object as it is signed into the window token.
/// </summary>
internal static class WindowExtensionValues
{
    /// <summary>Longest extension name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Largest value of <see cref="SwitchboardOptions.MaxWindowExtensionsBytes"/>: with it a token stays well under 4096 characters.</summary>
    public const int MaxBytesLimit = 2048;

    public static readonly FrozenDictionary<string, JsonElement> Empty = FrozenDictionary<string, JsonElement>.Empty;

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.");

    /// <summary>Throws unless <paramref name="name"/> is 1 to 64 characters of ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, starting with a letter.</summary>
    public static void ValidateName(string? name)
    {
        if (name is null || name.Length is 0 or > MaxNameLength || !char.IsAsciiLetter(name[0]) || name.AsSpan().ContainsAnyExcept(NameChars))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid window extension name: 1 to {MaxNameLength} characters of ASCII letters, digits, '_', '-' and '.', starting with a letter.",
                nameof(name));
        }
    }

    /// <summary>Bytes that <c>"name":value</c> takes in the extensions object (names need no escaping).</summary>
    public static int EntryBytes(string name, int valueBytes) => name.Length + 3 + valueBytes;

    /// <summary>Bytes of the extensions object holding entries of <paramref name="entryBytes"/> in total.</summary>
    public static int ObjectBytes(int count, int entryBytes) => 2 + entryBytes + Math.Max(0, count - 1);

    /// <summary>The value as JSON and its size in UTF-8 bytes.</summary>
    public static (JsonElement Value, int Bytes) Serialize<T>(T value)
    {
        var utf8 = JsonSerializer.SerializeToUtf8Bytes(value, SwitchboardJson.Options);
        return (JsonSerializer.Deserialize<JsonElement>(utf8), utf8.Length);
    }

    /// <summary>Bytes of <paramref name="value"/>'s JSON as <see cref="Serialize{T}"/> writes it.</summary>
    public static int BytesOf(JsonElement value) => JsonSerializer.SerializeToUtf8Bytes(value, SwitchboardJson.Options).Length;

    /// <summary>Reads <paramref name="value"/> as <typeparamref name="T"/>; a clear exception naming the field and the type when it is something else.</summary>
    public static T Read<T>(string name, JsonElement value)
    {
        try
        {
            return value.Deserialize<T>(SwitchboardJson.Options)!;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            // The value itself stays out of the message: an application may keep anything there.
            throw new InvalidOperationException(
                $"The window extension '{name}' holds a JSON {value.ValueKind.ToString().ToLowerInvariant()} that cannot be read as "
                + $"{typeof(T).FullName ?? typeof(T).Name}: {e.Message}", e);
        }
    }

    /// <summary>An immutable copy with ordinal names, values cloned so they outlive any document they came from.</summary>
    public static FrozenDictionary<string, JsonElement> Freeze(IEnumerable<KeyValuePair<string, JsonElement>>? values) =>
        values switch
        {
            null => Empty,
            FrozenDictionary<string, JsonElement> frozen => frozen,
            ICollection<KeyValuePair<string, JsonElement>> { Count: 0 } => Empty,
            _ => values.ToFrozenDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal),
        };
}
