using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Registry;

/// <summary>
/// Binds a job's kwargs to one handler's parameters. Each call reads the kwargs text again and deserializes its own
/// values, so a handler never sees another handler's converted values (a DjangoFloor defect).
/// </summary>
/// <remarks>
/// No DOM: one <see cref="Utf8JsonReader"/> pass finds each root property's value, then each parameter is deserialized
/// from its value's bytes. Errors are checked in parameter order, then extra arguments, as before.
/// </remarks>
internal static class ArgumentBinder
{
    private const int StackBytes = 1024;

    public static object?[] Bind(
        SignalHandlerDescriptor handler, WindowInfo window, string kwargsJson, IServiceProvider? services, CancellationToken cancellationToken)
    {
        byte[]? rented = null;
        var buffer = kwargsJson.Length <= StackBytes / 3
            ? stackalloc byte[StackBytes]
            : rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(kwargsJson));
        try
        {
            var length = Encoding.UTF8.GetBytes(kwargsJson, buffer);
            return Bind(handler, window, kwargsJson, buffer[..length], services, cancellationToken);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static object?[] Bind(
        SignalHandlerDescriptor handler, WindowInfo window, string kwargsJson, ReadOnlySpan<byte> utf8, IServiceProvider? services,
        CancellationToken cancellationToken)
    {
        var parameters = handler.Parameters;
        var values = parameters.Length <= 16 ? stackalloc Range[parameters.Length] : new Range[parameters.Length];
        values.Clear();
        var catchAll = handler.HasCatchAll ? new JsonObject() : null;
        string? firstExtra = null;
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw NotAnObject(kwargsJson);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var index = IndexOf(handler, ref reader);
                string? extra = index < 0 && (catchAll is not null || firstExtra is null) ? reader.GetString() : null;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var value = start..(int)reader.BytesConsumed;
                if (index >= 0)
                {
                    if (values[index].End.Value > 0)
                    {
                        throw new ArgumentBindingException($"kwargs are not valid JSON: \"{parameters[index].Name}\" is given twice.");
                    }
                    values[index] = value;
                }
                else if (catchAll is not null)
                {
                    if (catchAll.ContainsKey(extra!))
                    {
                        throw new ArgumentBindingException($"kwargs are not valid JSON: \"{extra}\" is given twice.");
                    }
                    catchAll[extra!] = JsonNode.Parse(utf8[value]);
                }
                else
                {
                    firstExtra ??= extra;
                }
            }
            // Nothing may follow the object.
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            throw NotAnObject(kwargsJson);
        }
        var args = new object?[parameters.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var p = parameters[i];
            args[i] = p.Kind switch
            {
                ParameterKind.Window => window,
                ParameterKind.CancellationToken => cancellationToken,
                ParameterKind.Service => Service(p, services),
                ParameterKind.CatchAll => catchAll,
                ParameterKind.Kwarg => BindKwarg(p, utf8, values[i]),
                _ => null,
            };
        }
        if (firstExtra is not null)
        {
            throw new ArgumentBindingException($"Invalid argument \"{firstExtra}\": {handler.DisplayName} accepts {Describe(handler)}.");
        }
        return args;
    }

    /// <summary>The kwarg parameter the current property name is for, or -1.</summary>
    private static int IndexOf(SignalHandlerDescriptor handler, ref Utf8JsonReader reader)
    {
        var names = handler.Utf8KwargNames;
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] is { } name && reader.ValueTextEquals(name))
            {
                return i;
            }
        }
        return -1;
    }

    private static object? Service(HandlerParameter p, IServiceProvider? services)
    {
        // Only handlers without services run without a scope (SignalHandlerDescriptor.NeedsScope).
        var provider = services ?? throw new InvalidOperationException($"Parameter '{p.Name}' needs services, but the handler was bound without a scope.");
        return p.IsOptional ? provider.GetService(p.Type) : provider.GetRequiredService(p.Type);
    }

    private static object? BindKwarg(HandlerParameter p, ReadOnlySpan<byte> utf8, Range value)
    {
        if (value.End.Value == 0)
        {
            return p.IsOptional ? p.DefaultValue : throw new ArgumentBindingException($"Missing required argument \"{p.Name}\".");
        }
        var reader = new Utf8JsonReader(utf8[value]);
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            if (p.Type.IsValueType && Nullable.GetUnderlyingType(p.Type) is null)
            {
                throw new ArgumentBindingException($"Invalid value null for argument \"{p.Name}\" ({p.Type.Name}).");
            }
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(ref reader, p.Type, SwitchboardJson.Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException or OverflowException)
        {
            // The value as a JsonNode shows it (compact, escaped as before).
            var shown = JsonNode.Parse(utf8[value])!.ToJsonString();
            if (shown.Length > 64)
            {
                shown = shown[..64] + "…";
            }
            throw new ArgumentBindingException($"Invalid value {shown} for argument \"{p.Name}\" ({p.Type.Name}).");
        }
    }

    /// <summary>The error for kwargs that are not one JSON object: the parser's message when it is not JSON at all.</summary>
    private static ArgumentBindingException NotAnObject(string kwargsJson)
    {
        try
        {
            _ = JsonNode.Parse(kwargsJson);
        }
        catch (JsonException e)
        {
            return new ArgumentBindingException($"kwargs are not valid JSON: {e.Message}");
        }
        return new ArgumentBindingException("kwargs must be a JSON object.");
    }

    private static string Describe(SignalHandlerDescriptor handler)
    {
        var names = handler.KwargNames.ToList();
        return names.Count == 0 ? "no arguments" : string.Join(", ", names);
    }
}
