namespace Switchboard;

/// <summary>
/// Marks the handler parameter (of type <see cref="System.Text.Json.Nodes.JsonObject"/>) that receives every
/// keyword argument not bound to another parameter: the equivalent of Python's <c>**kwargs</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class CatchAllAttribute : Attribute;
