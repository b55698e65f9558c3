using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// Bearer authentication beside the host's cookies, as an app with a single-page or mobile client sets it up: JwtBearer
/// reading <c>access_token</c> from the query of the WebSocket upgrade (SignalR's documented way), and a default
/// scheme that picks the bearer scheme when the request carries a token and the cookie otherwise. Anonymous requests
/// to an authorized endpoint get 401 rather than a redirect to a login page.
/// </summary>
internal static class BearerAuth
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;
    private const string CookieOrBearer = "cookie-or-bearer";
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("switchboard-functional-tests-signing-key-32+bytes"));

    public static void AddTo(IServiceCollection services, string socketPath = "/switchboard/ws")
    {
        services.AddAuthentication()
            .AddJwtBearer(Scheme, o =>
            {
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = false,
                    ValidateAudience = false,
                    IssuerSigningKey = Key,
                };
                o.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        var token = context.Request.Query["access_token"];
                        if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments(socketPath))
                        {
                            context.Token = token;
                        }
                        return Task.CompletedTask;
                    },
                };
            })
            .AddPolicyScheme(CookieOrBearer, "cookie or bearer", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                || context.Request.Query.ContainsKey("access_token")
                    ? Scheme
                    : CookieAuthenticationDefaults.AuthenticationScheme);
        services.PostConfigure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = CookieOrBearer;
            o.DefaultAuthenticateScheme = CookieOrBearer;
            o.DefaultChallengeScheme = CookieOrBearer;
        });
        services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o => o.Events.OnRedirectToLogin = context =>
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        });
    }

    /// <summary>A JWT for <paramref name="user"/>, signed with the test key; <paramref name="key"/> forges one with another key.</summary>
    public static string TokenFor(string user, SecurityKey? key = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Subject = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user), new Claim(ClaimTypes.Name, user)]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
    });
}
