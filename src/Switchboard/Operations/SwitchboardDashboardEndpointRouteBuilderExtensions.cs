using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard;
using Switchboard.Internal.Dashboard;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Switchboard's operator dashboard (docs/operations.md, Dashboard).</summary>
public static class SwitchboardDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard under <paramref name="pattern"/>: <c>GET {pattern}</c> the page (no external assets; it
    /// updates itself over its own window), <c>GET {pattern}/state</c> its data as JSON, and the dead-letter actions
    /// <c>POST {pattern}/dead-letters/requeue</c> and <c>/delete</c> (antiforgery-checked). Every one of them requires
    /// <see cref="SwitchboardDashboardOptions.Policy"/> (default: the default policy, an authenticated user); chain
    /// <c>.RequireAuthorization("policy")</c> on the result as on any endpoint. Needs <c>MapSwitchboard()</c> for its window.
    /// </summary>
    public static IEndpointConventionBuilder MapSwitchboardDashboard(this IEndpointRouteBuilder endpoints,
        string pattern = "/switchboard/dashboard", Action<SwitchboardDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (endpoints.ServiceProvider.GetService<DashboardQueuesReader>() is null)
        {
            throw new InvalidOperationException("Switchboard's services are missing: call builder.Services.AddSwitchboard(...) before building the app.");
        }
        var options = new SwitchboardDashboardOptions();
        configure?.Invoke(options);
        options.Validate();
        endpoints.ServiceProvider.GetRequiredService<MappedDashboard>().Options = options;
        var handlers = new DashboardHandlers(options);
        var group = endpoints.MapGroup(pattern.TrimEnd('/'));
        if (options.Policy is { } policy)
        {
            group.RequireAuthorization(policy);
        }
        else
        {
            group.RequireAuthorization();
        }
        group.MapGet("", handlers.PageAsync).WithDisplayName("Switchboard dashboard");
        group.MapGet("/state", handlers.StateAsync).WithDisplayName("Switchboard dashboard state");
        group.MapPost("/dead-letters/requeue", handlers.RequeueAsync).WithDisplayName("Switchboard dashboard requeue");
        group.MapPost("/dead-letters/delete", handlers.DeleteAsync).WithDisplayName("Switchboard dashboard delete");
        return group;
    }
}
