namespace Switchboard;

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
