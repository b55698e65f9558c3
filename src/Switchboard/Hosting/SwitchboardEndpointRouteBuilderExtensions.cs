using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Hosting;
using Switchboard.Internal.Registry;
using Switchboard.Internal.Windows;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Wires Switchboard into the ASP.NET Core pipeline.</summary>
public static class SwitchboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Gives each request its window (place it after <c>UseAuthentication</c>) and enables WebSockets.
    /// </summary>
    public static IApplicationBuilder UseSwitchboard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RequireServices(app.ApplicationServices);
        app.UseWebSockets();
        return app.UseMiddleware<WindowKeyMiddleware>();
    }

    /// <summary>
    /// Maps the WebSocket endpoint (<c>{PathPrefix}/ws</c>) and the client script: <c>{PathPrefix}/df.js</c>, every part
    /// of clients/js/src (built-in browser signals included) in the order of its parts.json, and <c>{PathPrefix}/df.mjs</c>,
    /// an ES module that imports <c>df.js</c> and exports the client.
    /// </summary>
    public static IEndpointConventionBuilder MapSwitchboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RequireServices(endpoints.ServiceProvider);
        var prefix = endpoints.ServiceProvider.GetRequiredService<IOptions<SwitchboardOptions>>().Value.PathPrefix;
        endpoints.ServiceProvider.GetRequiredService<SwitchboardEndpointsMarker>().Mapped = true;
        var group = endpoints.MapGroup(prefix);
        group.Map("/ws", context => context.RequestServices.GetRequiredService<WindowConnectionHandler>().HandleAsync(context));
        group.MapGet("/df.js", context => ClientScripts.WriteAsync(context, "df.js"));
        group.MapGet("/df.mjs", context => ClientScripts.WriteAsync(context, "df.mjs"));
        return group;
    }

    /// <summary>
    /// Maps the window endpoint, <c>POST {PathPrefix}/window</c> (default <c>/switchboard/window</c>), for clients with no
    /// server-rendered page (single-page apps, mobile apps): each request creates a window of the request's user, as a
    /// rendered page does, with the topics <paramref name="configure"/> chooses, and answers its init JSON
    /// <c>{"url":"/switchboard/ws","token":"…","v":1}</c> (what <c>df.start({ windowEndpoint })</c> reads). Chain
    /// <c>.RequireAuthorization()</c> on the result to serve signed-in users only.
    /// </summary>
    public static IEndpointConventionBuilder MapSwitchboardWindows(this IEndpointRouteBuilder endpoints, Action<WindowEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RequireServices(endpoints.ServiceProvider);
        var options = new WindowEndpointOptions();
        configure?.Invoke(options);
        if (options.Topics is not null && options.TopicsAsync is not null)
        {
            throw new InvalidOperationException("MapSwitchboardWindows: set WindowEndpointOptions.Topics or TopicsAsync, not both.");
        }
        var prefix = endpoints.ServiceProvider.GetRequiredService<IOptions<SwitchboardOptions>>().Value.PathPrefix;
        RequestDelegate handler = new WindowEndpoint(options).HandleAsync;
        return endpoints.MapPost(prefix + "/window", handler).WithDisplayName("Switchboard window endpoint");
    }

    /// <summary>Registers a delegate as a server handler of <paramref name="signal"/> (see <c>ISwitchboardBuilder.MapSignal</c>).</summary>
    public static SignalHandlerBuilder MapSignal(this IEndpointRouteBuilder endpoints, string signal, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RequireServices(endpoints.ServiceProvider);
        var registrations = endpoints.ServiceProvider.GetRequiredService<SignalRegistrations>();
        return new SignalHandlerBuilder(registrations.AddDelegate(signal, handler), registrations);
    }

    /// <summary>Registers a delegate as the one handler of the remote function <paramref name="name"/> (see <c>ISwitchboardBuilder.MapFunction</c>).</summary>
    public static FunctionHandlerBuilder MapFunction(this IEndpointRouteBuilder endpoints, string name, Delegate handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RequireServices(endpoints.ServiceProvider);
        var registrations = endpoints.ServiceProvider.GetRequiredService<SignalRegistrations>();
        return new FunctionHandlerBuilder(registrations.AddFunctionDelegate(name, handler), registrations);
    }

    private static void RequireServices(IServiceProvider services)
    {
        if (services.GetService<SignalRegistrations>() is null)
        {
            throw new InvalidOperationException("Switchboard's services are missing: call builder.Services.AddSwitchboard(...) before building the app.");
        }
    }
}
