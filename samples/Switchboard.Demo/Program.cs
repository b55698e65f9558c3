using System.Security.Claims;
using HealthChecks.UI.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Switchboard;
using Switchboard.Demo;

switch (args.FirstOrDefault())
{
    case "worker":
        return await DemoWorker.RunAsync(args[1..]);
    case "emit":
        return await DemoEmitter.RunAsync(args[1..]);
}

// `typescript PATH`: writes the TypeScript declarations of the demo's signals to PATH and exits (docs/typescript.md).
string? typeScriptPath = null;
if (args is ["typescript", ..])
{
    if (args is not ["typescript", { Length: > 0 } path, ..])
    {
        await Console.Error.WriteLineAsync("usage: typescript PATH (the .d.ts to write), then any setting (--Switchboard:...)");
        return 2;
    }
    (typeScriptPath, args) = (path, args[2..]);
}

var builder = WebApplication.CreateBuilder(args);

// Demo-only sign-in: /login?name=NAME[&staff=true] issues a cookie, no password; the SPA sample (/spa.html) gets a
// bearer token from POST /demo/token instead (DemoTokens.cs).
builder.Services.AddDemoAuthentication(builder.Configuration);
// "staff": the demo's operators (the dashboard below).
builder.Services.AddAuthorization(o => o.AddPolicy("staff", p => p.RequireRole("staff")));
builder.Services.AddDemoSwitchboard(builder.Configuration);
// Health checks for load balancers: Redis per role, workers, queue thresholds, window capacity (docs/operations.md).
builder.Services.AddHealthChecks().AddSwitchboard();

var app = builder.Build();
app.UseStaticFiles();
// Windows get the request's culture (Accept-Language, or the cookie /builtins?culture=fr-FR sets): handlers and
// Razor components rendered for a window use it.
app.UseRequestLocalization(o => o.SetDefaultCulture("en-US").AddSupportedCultures("en-US", "fr-FR", "de-DE").AddSupportedUICultures("en-US", "fr-FR", "de-DE"));
app.UseAuthentication();
app.UseAuthorization();
app.UseSwitchboard();
app.MapSwitchboard();
app.MapDemoTokens();
// JSON with each entry's status and data; HTTP 503 when Unhealthy, 200 when Healthy or Degraded.
app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = UIResponseWriter.WriteHealthCheckUIResponse });
// The live operator dashboard, staff only: anonymous gets 401, other users 403 (docs/operations.md, Dashboard).
app.MapSwitchboardDashboard("/switchboard/dashboard", o => o.Policy = "staff");

app.MapGet("/", (HttpContext http) =>
{
    http.SetWebSocketTopics();
    return Results.Content(DemoPages.Render(http, "Switchboard demo", room: null), "text/html; charset=utf-8");
});

app.MapGet("/chat/{room}", (HttpContext http, string room) =>
{
    http.SetWebSocketTopics(DemoSignals.RoomTopic(room));
    return Results.Content(DemoPages.Render(http, "Chat: " + room, room), "text/html; charset=utf-8");
});

app.MapGet("/builtins", (HttpContext http, string? culture) =>
{
    if (culture is "en-US" or "fr-FR" or "de-DE")
    {
        // Applies from the next request on, the WebSocket upgrade included: reload to see it in this page's window.
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)));
        return Results.LocalRedirect("/builtins");
    }
    http.SetWebSocketTopics();
    return Results.Content(DemoBuiltinsPage.Render(http), "text/html; charset=utf-8");
});

app.MapGet("/builtins/sample.txt", () => Results.Text("A file sent by html.download_file.\n", "text/plain; charset=utf-8"));

app.MapGet("/login", async (HttpContext http, string name, bool staff = false, string? returnUrl = null) =>
{
    var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, name), new(ClaimTypes.Name, name) };
    if (staff)
    {
        claims.Add(new Claim(ClaimTypes.Role, "staff"));
    }
    var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
    return Results.LocalRedirect(returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') ? returnUrl : "/");
});

// Signs out and closes every window of that user, all tabs on all nodes (close code 4003: they do not reconnect).
app.MapGet("/logout", async (HttpContext http, IWindowControl windows) =>
{
    var userId = http.User.Identity?.IsAuthenticated == true ? http.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
    await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    if (userId is not null)
    {
        await windows.CloseUserAsync(userId, "signed out", http.RequestAborted);
    }
    return Results.LocalRedirect("/");
});

app.MapGet("/favicon.ico", () => Results.NoContent());
app.MapDemoTenantPage(app.Configuration["Demo:TopicSerializer"]);

// The .d.ts of the demo's signals, for editors and tsc: only in Development (it lists staff-only signals too).
if (app.Environment.IsDevelopment())
{
    app.MapSwitchboardTypeScript();
}
if (typeScriptPath is not null)
{
    // After every registration above, without starting the host.
    var written = await SwitchboardTypeScript.WriteAsync(app.Services, typeScriptPath);
    Console.WriteLine(written ? $"wrote {typeScriptPath}" : $"{typeScriptPath} is up to date");
    return 0;
}

await app.RunAsync();
return 0;

/// <summary>Visible to tests that host the demo.</summary>
public partial class Program;
