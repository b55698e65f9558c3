namespace Switchboard;

/// <summary>
/// One field of a form serialized by a <c>data-df-signal</c> binding with <c>form</c> (jQuery's <c>serializeArray</c>:
/// <c>[{"name": ..., "value": ...}]</c>, one entry per checked box, selected option and selected file name). Bind a
/// handler parameter as <c>IReadOnlyList&lt;FormField&gt;</c> and read it with <see cref="FormFieldExtensions"/>.
/// </summary>
/// <param name="Name">The field name.</param>
/// <param name="Value">The value (a file input gives the file name).</param>
public sealed record FormField(string Name, string Value);
