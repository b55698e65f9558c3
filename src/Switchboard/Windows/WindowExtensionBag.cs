using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Switchboard.Internal.Windows;

namespace Switchboard;

/// <summary>
/// The fields <see cref="IWindowInfoExtension"/>s set for one request, becoming <see cref="WindowInfo.Extensions"/>.
/// Names are 1 to 64 characters of ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, starting with a letter; values
/// are serialized at once with System.Text.Json under the conventions of kwargs (web defaults: camelCase properties,
/// enums as strings). The whole <c>extensions</c> object may take at most <see cref="SwitchboardOptions.MaxWindowExtensionsBytes"/>
/// bytes of JSON, because it is signed into the window token.
/// </summary>
/// <remarks>
/// On a request acting as an open window (an AJAX request with its <c>X-Switchboard-Window</c> header), the bag starts
/// with the values signed into that window's token and they win: <see cref="Set{T}"/> and <see cref="Remove"/> leave
/// those names as the page set them (<see cref="IsSigned"/> says which), so every request of a page sees the same values.
/// </remarks>
public sealed class WindowExtensionBag
{
    private readonly Dictionary<string, (JsonElement Value, int Bytes)> _values = new(StringComparer.Ordinal);
    private readonly FrozenSet<string> _signed;
    private readonly int _maxBytes;
    private int _entryBytes;

    internal WindowExtensionBag(int maxBytes, IReadOnlyDictionary<string, JsonElement>? signed = null)
    {
        _maxBytes = maxBytes;
        _signed = signed is { Count: > 0 } ? signed.Keys.ToFrozenSet(StringComparer.Ordinal) : FrozenSet<string>.Empty;
        foreach (var (name, value) in signed ?? WindowExtensionValues.Empty)
        {
            var bytes = WindowExtensionValues.BytesOf(value);
            _values[name] = (value, bytes);
            _entryBytes += WindowExtensionValues.EntryBytes(name, bytes);
        }
    }

    /// <summary>What is setting values now (the extension's type name), for error messages.</summary>
    internal string Source { get; set; } = "the application";

    /// <summary>The names set so far.</summary>
    public IReadOnlyCollection<string> Names => _values.Keys;

    /// <summary>The JSON size of the extensions object so far, in UTF-8 bytes.</summary>
    public int Bytes => WindowExtensionValues.ObjectBytes(_values.Count, _entryBytes);

    /// <summary>Whether <paramref name="name"/> was signed into the token of the window this request acts as (it cannot be changed).</summary>
    public bool IsSigned(string name) => _signed.Contains(name);

    /// <summary>
    /// Sets <paramref name="name"/> to <paramref name="value"/> (serialized now), replacing an earlier value of it.
    /// Throws <see cref="ArgumentException"/> for an invalid name, <see cref="InvalidOperationException"/> naming the
    /// extension and the field when the value cannot be serialized or the extensions would exceed
    /// <see cref="SwitchboardOptions.MaxWindowExtensionsBytes"/>.
    /// </summary>
    public void Set<T>(string name, T value)
    {
        WindowExtensionValues.ValidateName(name);
        if (_signed.Contains(name))
        {
            return;
        }
        JsonElement json;
        int bytes;
        try
        {
            (json, bytes) = WindowExtensionValues.Serialize(value);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"{Source} set the window extension '{name}' to a {typeof(T).Name} that System.Text.Json cannot serialize: {e.Message}", e);
        }
        var entryBytes = _entryBytes + WindowExtensionValues.EntryBytes(name, bytes);
        var count = _values.Count + 1;
        if (_values.TryGetValue(name, out var old))
        {
            entryBytes -= WindowExtensionValues.EntryBytes(name, old.Bytes);
            count--;
        }
        var total = WindowExtensionValues.ObjectBytes(count, entryBytes);
        if (total > _maxBytes)
        {
            throw new InvalidOperationException(
                $"{Source} set the window extension '{name}' to {bytes} bytes of JSON, which makes the window's extensions {total} bytes, "
                + $"over Switchboard:MaxWindowExtensionsBytes ({_maxBytes}): they are signed into the window token, keep them small "
                + "(an id, a flag) and look the rest up in the handler.");
        }
        _values[name] = (json, bytes);
        _entryBytes = entryBytes;
    }

    /// <summary>Removes <paramref name="name"/>; false when it was not set (or was signed into the window's token, which keeps it).</summary>
    public bool Remove(string name)
    {
        if (_signed.Contains(name) || !_values.Remove(name, out var old))
        {
            return false;
        }
        _entryBytes -= WindowExtensionValues.EntryBytes(name, old.Bytes);
        return true;
    }

    /// <summary>Reads a value set earlier (by this or an earlier extension, or signed into the window's token).</summary>
    /// <exception cref="InvalidOperationException">The value is not a <typeparamref name="T"/> (the message names the field and the type).</exception>
    public bool TryGet<T>(string name, [MaybeNullWhen(false)] out T value)
    {
        if (_values.TryGetValue(name, out var entry))
        {
            value = WindowExtensionValues.Read<T>(name, entry.Value);
            return true;
        }
        value = default;
        return false;
    }

    internal FrozenDictionary<string, JsonElement> ToFrozen() =>
        _values.Count == 0 ? WindowExtensionValues.Empty : _values.ToFrozenDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal);
}
