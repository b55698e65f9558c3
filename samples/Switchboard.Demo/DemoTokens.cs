using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.Demo;

/// <summary>
/// The single-page app sample (<c>/spa.html</c>): bearer tokens beside the demo's cookie. <c>POST /demo/token</c> signs a
/// JWT for a user name (no password: a demo); JwtBearer reads it from the <c>Authorization</c> header, or from
/// <c>access_token</c> on the WebSocket URL (browsers cannot set headers on a WebSocket); the default scheme picks the
/// bearer when the request carries one and the cookie otherwise, so pages and the SPA use the same signals, users and
/// WebSocket endpoint.
/// </summary>
internal static class DemoTokens
{
    private const string CookieOrBearer = "demo-cookie-or-bearer";

    /// <summary>The demo's signing key: <c>Demo:JwtKey</c> (nodes of one demo cluster must share it), or a fixed demo value.</summary>
    private static SymmetricSecurityKey KeyFrom(IConfiguration configuration) =>
        new(Encoding.UTF8.GetBytes(configuration["Demo:JwtKey"] is { Length: >= 32 } key ? key : "switchboard-demo-signing-key-not-a-secret"));

    public static AuthenticationBuilder AddDemoAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var key = KeyFrom(configuration);
        return services.AddAuthentication(CookieOrBearer)
            .AddCookie(o =>
            {
                o.Cookie.Name = "switchboard-demo";
                // The demo has no login form to redirect to: an endpoint that needs a user answers 401.
                o.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
                // Nor an access-denied page: a signed-in user outside a policy (the dashboard's "staff") gets 403.
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddJwtBearer(o =>
            {
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = false,
                    ValidateAudience = false,
                    IssuerSigningKey = key,
                };
                o.Events = new JwtBearerEvents
                {
                    // SignalR's documented way, for Switchboard's socket only: elsewhere a token in a URL is not accepted.
                    OnMessageReceived = context =>
                    {
                        var token = context.Request.Query["access_token"];
                        if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/switchboard/ws"))
                        {
                            context.Token = token;
                        }
                        return Task.CompletedTask;
                    },
                };
            })
            .AddPolicyScheme(CookieOrBearer, "Cookie or bearer", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || context.Request.Query.ContainsKey("access_token")
                    ? JwtBearerDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme);
    }

    public static void MapDemoTokens(this WebApplication app)
    {
        var key = KeyFrom(app.Configuration);
        // Demo-only sign-in for the SPA: a name, no password, a token valid one hour.
        app.MapPost("/demo/token", (TokenRequest request) =>
        {
            var name = request.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 64)
            {
                return Results.BadRequest("name: 1 to 64 characters");
            }
            var expires = DateTime.UtcNow.AddHours(1);
            var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Subject = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, name), new Claim(ClaimTypes.Name, name)]),
                Expires = expires,
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            });
            return Results.Ok(new { token, name, expires });
        });

        // Windows for clients without a rendered page: signed-in users only (cookie or bearer), in the chat room the
        // app asks for (as /chat/{room} chooses it from its URL).
        app.MapSwitchboardWindows(o => o.Topics = http =>
            http.Request.Query["room"].ToString() is { Length: > 0 } room ? new object[] { DemoSignals.RoomTopic(room) } : Array.Empty<object>())
            .RequireAuthorization();

        // An AJAX request acting as its window: df.fetch sends X-Switchboard-Window, so WINDOW is the calling SPA.
        app.MapPost("/demo/whoami", (HttpContext http, ISignals signals) =>
            signals.CallAsync(http, "demo.echoed", to: [Destination.Window],
                kwargs: new { text = "fetch as window of " + (http.GetWindowInfo().UserName ?? "anonymous") }));
    }

    internal sealed record TokenRequest(string? Name);
}
