using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Windows;

/// <summary>
/// The init object of a window, <c>{"url":"/switchboard/ws","token":"…","v":1}</c> (docs/protocol.md §1): what a rendered
/// page's init element holds and what the window endpoint answers, written in one place so both stay the same.
/// </summary>
internal static class WindowInit
{
    private static readonly JsonSerializerOptions Json = new()
    {
        // Escapes <, > and & so the JSON can never close the script element it is written into.
        Encoder = JavaScriptEncoder.Default,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>The init JSON of <paramref name="context"/>'s window, signed for the request's user.</summary>
    public static string Serialize(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<SwitchboardOptions>>().Value;
        var token = Token(context);
        return JsonSerializer.Serialize(new Payload(context.Request.PathBase + options.PathPrefix + "/ws", token, ProtocolNames.Version), Json);
    }

    /// <summary>
    /// The signed token of <paramref name="context"/>'s window: its key, the request's user and the request's window
    /// extensions (<see cref="WindowInfoFactory.ExtensionsOf"/>), which the window's WebSocket gets back from it.
    /// </summary>
    public static string Token(HttpContext context)
    {
        var services = context.RequestServices;
        var key = WindowTopicsWriter.RequireFeature(context).WindowKey;
        var extensions = services.GetRequiredService<WindowInfoFactory>().ExtensionsOf(context);
        return services.GetRequiredService<WindowTokenService>().Create(key, WindowInfoFactory.UserIdOf(context.User), extensions, out _);
    }

    private sealed record Payload(string Url, string Token, int V);
}
