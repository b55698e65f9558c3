using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Registry;
using Switchboard.Internal.TypeScript;

namespace Switchboard;

/// <summary>Declares browser signals' opts types and serves the generated TypeScript (docs/typescript.md).</summary>
public static class SwitchboardTypeScriptExtensions
{
    /// <summary>The path <see cref="MapSwitchboardTypeScript"/> serves by default.</summary>
    public const string DefaultPath = "/switchboard/signals.d.ts";

    /// <summary>
    /// Declares that the server sends the browser signal <paramref name="name"/> with opts of type
    /// <typeparamref name="TOpts"/>, for the generated TypeScript (like <see cref="BrowserSignalAttribute"/>, for a type
    /// that cannot carry the attribute). Changes nothing at run time.
    /// </summary>
    /// <exception cref="InvalidOperationException">The name is invalid or built in, the type is not a JSON object, or the name is declared with another type.</exception>
    public static ISwitchboardBuilder DeclareBrowserSignal<TOpts>(this ISwitchboardBuilder builder, string name) =>
        builder.DeclareBrowserSignal(name, typeof(TOpts));

    /// <summary>Declares <paramref name="optsType"/> as the opts of the browser signal <paramref name="name"/> (see <see cref="DeclareBrowserSignal{TOpts}"/>).</summary>
    public static ISwitchboardBuilder DeclareBrowserSignal(this ISwitchboardBuilder builder, string name, Type optsType)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(optsType);
        BrowserSignalDeclarations.For(builder.Services).Add(name, optsType, $"DeclareBrowserSignal<{optsType.Name}>(\"{name}\")");
        return builder;
    }

    /// <summary>
    /// Serves the generated <c>.d.ts</c> (<see cref="SwitchboardTypeScript.Generate"/>) at <paramref name="pattern"/>,
    /// made once, on the first request (the registry is complete then). It lists every signal a browser may call, those
    /// of staff only included: map it in Development only, as OpenAPI documents usually are.
    /// </summary>
    public static IEndpointConventionBuilder MapSwitchboardTypeScript(this IEndpointRouteBuilder endpoints, string pattern = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (endpoints.ServiceProvider.GetService<SignalRegistrations>() is null)
        {
            throw new InvalidOperationException("Switchboard's services are missing: call builder.Services.AddSwitchboard(...) before building the app.");
        }
        var text = new Lazy<string>(() => SwitchboardTypeScript.Generate(endpoints.ServiceProvider), LazyThreadSafetyMode.ExecutionAndPublication);
        return endpoints.MapGet(pattern, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Text(text.Value, "text/plain; charset=utf-8");
            })
            .WithDisplayName("Switchboard TypeScript declarations");
    }
}
