using System.Reflection;

namespace Switchboard.Internal.Registry;

/// <summary>
/// The name a <c>[Signal]</c> or <c>[Function]</c> without one takes from its method, as DjangoFloor names a signal after
/// its function: <c>Type.Method</c> — the declaring type's name (outer types first for a nested one, without a generic
/// arity) and the method's, without an <c>Async</c> suffix as ASP.NET Core MVC does for actions. Namespaces are left out
/// so names stay short in JavaScript; two methods whose defaults meet fail the start, naming both.
/// </summary>
internal static class DefaultSignalNames
{
    private const string AsyncSuffix = "Async";

    public static string For(MethodInfo method)
    {
        var types = new Stack<string>();
        for (var type = method.DeclaringType; type is not null; type = type.DeclaringType)
        {
            var name = type.Name;
            var tick = name.IndexOf('`', StringComparison.Ordinal);
            types.Push(tick < 0 ? name : name[..tick]);
        }
        var methodName = method.Name.Length > AsyncSuffix.Length && method.Name.EndsWith(AsyncSuffix, StringComparison.Ordinal)
            ? method.Name[..^AsyncSuffix.Length]
            : method.Name;
        return string.Join('.', types) + "." + methodName;
    }
}
