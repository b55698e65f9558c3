namespace Switchboard;

/// <summary>
/// One field of a form serialized by a <c>data-df-signal</c> binding with <c>form</c> (jQuery's <c>serializeArray</c>:
/// <c>[{"name": ..., "value": ...}]</c>, one entry per checked box, selected option and selected file name). Bind a
/// handler parameter as <c>IReadOnlyList&lt;FormField&gt;</c> and read it with <see cref="FormFieldExtensions"/>.
/// </summary>
/// <param name="Name">The field name.</param>
/// <param name="Value">The value (a file input gives the file name).</param>
public sealed record FormField(string Name, string Value);

/// <summary>Reads a serialized form.</summary>
public static class FormFieldExtensions
{
    /// <summary>The first value of the field <paramref name="name"/>, or null when absent (e.g. an unchecked box).</summary>
    public static string? GetValue(this IEnumerable<FormField> fields, string name)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.FirstOrDefault(f => f.Name == name)?.Value;
    }

    /// <summary>Every value of the field <paramref name="name"/> (a checkbox group, a multi-select, several files).</summary>
    public static IReadOnlyList<string> GetValues(this IEnumerable<FormField> fields, string name)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return [.. fields.Where(f => f.Name == name).Select(f => f.Value)];
    }
}
