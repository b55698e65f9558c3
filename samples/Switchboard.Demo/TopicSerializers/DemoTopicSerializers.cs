using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Demo;

/// <summary>
/// <c>--Demo:TopicSerializer=tenant|renamed</c>: replaces the topic serializer (<see cref="TenantTopicSerializer"/>,
/// <see cref="RenamedTopicSerializer"/>) in every role, and adds a tenant page (<c>/tenant/{id}</c>, topics: the tenant
/// and the string <c>room:{id}</c>) with signals that answer through every kind of destination: what the tests of
/// docs/choices.md ("Replacing the serializer") drive across processes. Off by default: the demo keeps the default.
/// The folder's files are compiled into tests/Switchboard.FunctionalTests too, so both run the same serializers.
/// </summary>
public static class DemoTopicSerializers
{
    /// <summary>The signal every answer comes as; its <c>via</c> says which destination it went through.</summary>
    public const string Answer = "demo.tenant.got";

    /// <summary>Registers the configured serializer (after <c>AddSwitchboard</c>, as an application would) and the signals.</summary>
    public static ISwitchboardBuilder AddDemoTopicSerializer(this ISwitchboardBuilder builder, string? serializer)
    {
        switch (serializer)
        {
            case null or "" or "default":
                return builder;
            case "tenant":
                builder.Services.AddSingleton<ITopicSerializer, TenantTopicSerializer>();
                break;
            case "renamed":
                builder.Services.AddSingleton<ITopicSerializer, RenamedTopicSerializer>();
                break;
            default:
                throw new InvalidOperationException($"Demo:TopicSerializer is '{serializer}'; use tenant, renamed or default.");
        }
        return MapTenantSignals(builder);
    }

    /// <summary>The tenant signals: answers to WINDOW, USER, BROADCAST, the tenant and its room; a failure; a live join and leave.</summary>
    public static ISwitchboardBuilder MapTenantSignals(this ISwitchboardBuilder builder)
    {
        builder.MapSignal("demo.tenant.answer", async (WindowInfo window, ISignals signals, string tenant, string mark, CancellationToken cancellationToken) =>
        {
            // One call per destination, so each message has exactly one topic and the page can tell which arrived.
            foreach (var (via, to) in new (string, object)[]
                     {
                         ("WINDOW", Destination.Window), ("USER", Destination.User), ("BROADCAST", Destination.Broadcast),
                         ("TENANT", new DemoTenant(tenant)), ("ROOM", "room:" + tenant),
                     })
            {
                await signals.CallAsync(window, Answer, to: [to], kwargs: new { via, tenant, mark }, cancellationToken: cancellationToken);
            }
        }).AllowEveryone();
        builder.MapSignal("demo.tenant.fail", (WindowInfo window, string mark) =>
        {
            throw new SignalException("tenant failure " + mark);
        }).AllowEveryone();
        builder.MapSignal("demo.tenant.join", async (WindowInfo window, IWindowControl windows, ISignals signals, string tenant, CancellationToken cancellationToken) =>
        {
            await windows.SubscribeAsync(window, [new DemoTenant(tenant)], cancellationToken);
            await signals.CallAsync(window, "demo.tenant.joined", to: [Destination.Window], kwargs: new { tenant }, cancellationToken: cancellationToken);
        }).AllowEveryone();
        builder.MapSignal("demo.tenant.leave", async (WindowInfo window, IWindowControl windows, ISignals signals, string tenant, CancellationToken cancellationToken) =>
        {
            await windows.UnsubscribeAsync(window, [new DemoTenant(tenant)], cancellationToken);
            await signals.CallAsync(window, "demo.tenant.left", to: [Destination.Window], kwargs: new { tenant }, cancellationToken: cancellationToken);
        }).AllowEveryone();
        builder.MapSignal("demo.tenant.send", (WindowInfo window, ISignals signals, string tenant, string mark, CancellationToken cancellationToken) =>
            signals.CallAsync(window, Answer, to: [new DemoTenant(tenant)], kwargs: new { via = "TENANT", tenant, mark }, cancellationToken: cancellationToken))
            .AllowEveryone();
        return builder;
    }

    /// <summary>Maps <c>/tenant/{id}</c> when a serializer is configured: a page on the tenant and its room.</summary>
    public static void MapDemoTenantPage(this IEndpointRouteBuilder app, string? serializer)
    {
        if (serializer is null or "" or "default")
        {
            return;
        }
        app.MapGet("/tenant/{id}", (HttpContext http, string id) =>
        {
            http.SetWebSocketTopics(new DemoTenant(id), "room:" + id);
            return Results.Content(
                "<!doctype html><html><head><script src=\"/switchboard/df.js\"></script></head><body><h1>Tenant " +
                System.Net.WebUtility.HtmlEncode(id) + "</h1>" + http.SwitchboardInitHtml() + "</body></html>", "text/html; charset=utf-8");
        });
    }
}
