using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Dispatch;

namespace Switchboard.Registry;

/// <summary>
/// Binds a job's kwargs to one handler's parameters. Each call parses its own copy of the kwargs, so a handler
/// never sees another handler's converted values (a DjangoFloor defect).
/// </summary>
internal static class ArgumentBinder
{
    public static object?[] Bind(
        SignalHandlerDescriptor handler, WindowInfo window, string kwargsJson, IServiceProvider services, CancellationToken cancellationToken)
    {
        JsonObject kwargs;
        try
        {
            kwargs = JsonNode.Parse(kwargsJson) as JsonObject ?? throw new ArgumentBindingException("kwargs must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ArgumentBindingException($"kwargs are not valid JSON: {e.Message}");
        }
        var args = new object?[handler.Parameters.Length];
        var used = new HashSet<string>(StringComparer.Ordinal);
        JsonObject? catchAll = null;
        int catchAllIndex = -1;
        for (var i = 0; i < args.Length; i++)
        {
            var p = handler.Parameters[i];
            switch (p.Kind)
            {
                case ParameterKind.Window:
                    args[i] = window;
                    break;
                case ParameterKind.CancellationToken:
                    args[i] = cancellationToken;
                    break;
                case ParameterKind.Service:
                    args[i] = p.IsOptional ? services.GetService(p.Type) : services.GetRequiredService(p.Type);
                    break;
                case ParameterKind.CatchAll:
                    catchAllIndex = i;
                    break;
                case ParameterKind.Kwarg:
                    args[i] = BindKwarg(p, kwargs, used);
                    break;
            }
        }
        var extra = kwargs.Where(kv => !used.Contains(kv.Key)).ToList();
        if (catchAllIndex >= 0)
        {
            catchAll = [];
            foreach (var (key, value) in extra)
            {
                catchAll[key] = value?.DeepClone();
            }
            args[catchAllIndex] = catchAll;
        }
        else if (extra.Count > 0)
        {
            throw new ArgumentBindingException($"Invalid argument \"{extra[0].Key}\": {handler.DisplayName} accepts {Describe(handler)}.");
        }
        return args;
    }

    private static object? BindKwarg(HandlerParameter p, JsonObject kwargs, HashSet<string> used)
    {
        if (!kwargs.TryGetPropertyValue(p.Name, out var node))
        {
            return p.IsOptional ? p.DefaultValue : throw new ArgumentBindingException($"Missing required argument \"{p.Name}\".");
        }
        used.Add(p.Name);
        if (node is null)
        {
            if (p.Type.IsValueType && Nullable.GetUnderlyingType(p.Type) is null)
            {
                throw new ArgumentBindingException($"Invalid value null for argument \"{p.Name}\" ({p.Type.Name}).");
            }
            return null;
        }
        try
        {
            return node.Deserialize(p.Type, SwitchboardJson.Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException or OverflowException)
        {
            var shown = node.ToJsonString();
            if (shown.Length > 64)
            {
                shown = shown[..64] + "…";
            }
            throw new ArgumentBindingException($"Invalid value {shown} for argument \"{p.Name}\" ({p.Type.Name}).");
        }
    }

    private static string Describe(SignalHandlerDescriptor handler)
    {
        var names = handler.KwargNames.ToList();
        return names.Count == 0 ? "no arguments" : string.Join(", ", names);
    }
}
