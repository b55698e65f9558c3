using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Internal.Windows;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// A real Switchboard application on Kestrel, bound to 127.0.0.1 on a free port: cookie authentication
/// (<c>/login?name=X&amp;roles=a,b&amp;permissions=p,q</c>, <c>/logout</c>), an authorization policy <c>editors</c> (role <c>editor</c>),
/// Switchboard with the test's handlers, and a page <c>/page?topics=a,b</c> carrying the init element.
/// Dispose it to stop the server.
/// </summary>
internal sealed class SwitchboardHost : IAsyncDisposable
{
    /// <summary>The authorization policy the host defines: users with role <c>editor</c>.</summary>
    public const string EditorsPolicy = "editors";

    /// <summary>The Data Protection application name of every host (nodes sharing a key directory must agree).</summary>
    public const string ApplicationName = "switchboard-functional-tests";

    private readonly WebApplication _app;

    private SwitchboardHost(WebApplication app, Uri baseAddress, string name)
    {
        _app = app;
        BaseAddress = baseAddress;
        Name = name;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A name for logs (node A, node B...).</summary>
    public string Name { get; }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The host's <see cref="ISignals"/>, to call signals the way application code does.</summary>
    public ISignals Signals => Services.GetRequiredService<ISignals>();

    /// <summary>Switchboard's path prefix (<see cref="SwitchboardOptions.PathPrefix"/>).</summary>
    public string PathPrefix => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SwitchboardOptions>>().Value.PathPrefix;

    /// <summary>The WebSocket endpoint.</summary>
    public Uri WebSocketUri => new(BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + PathPrefix.TrimStart('/') + "/ws");

    public static Task<SwitchboardHost> StartAsync(Action<SwitchboardHostOptions>? configure = null) => StartAsync("host", configure);

    public static async Task<SwitchboardHost> StartAsync(string name, Action<SwitchboardHostOptions>? configure)
    {
        var options = new SwitchboardHostOptions();
        configure?.Invoke(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (options.Output is { } output)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(new TestOutputLoggerProvider(output, name));
        }
        var services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (options.DataProtectionKeys is { } keys)
        {
            dataProtection.PersistKeysToFileSystem(keys);
        }
        else
        {
            dataProtection.UseEphemeralDataProtectionProvider();
        }
        if (options.Time is { } time)
        {
            services.AddSingleton(time);
        }
        if (options.Network is { } network)
        {
            services.AddSingleton(network);
        }
        if (options.TopicStore is { } store)
        {
            services.AddSingleton(store);
        }
        options.Services?.Invoke(services);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        services.AddAuthorization(o => o.AddPolicy(EditorsPolicy, p => p.RequireRole("editor")));
        var switchboard = services.AddSwitchboard(options.Switchboard);
        options.Signals?.Invoke(switchboard);

        var app = builder.Build();
        options.Middleware?.Invoke(app);
        app.UseAuthentication();
        app.UseSwitchboard();
        app.MapSwitchboard();
        app.MapGet("/login", LoginAsync);
        app.MapGet("/logout", (HttpContext http) => http.SignOutAsync());
        app.MapGet("/page", PageAsync);
        options.Endpoints?.Invoke(app);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new SwitchboardHost(app, new Uri(address.TrimEnd('/') + "/"), name);
    }

    /// <summary>Reads a page's window token as the server does: the window key and user it was issued for.</summary>
    public WindowInfo ReadToken(string token)
    {
        if (!Services.GetRequiredService<WindowTokenService>().TryRead(token, out var key, out var user))
        {
            throw new InvalidOperationException("The token is not valid on " + Name + ".");
        }
        return new WindowInfo { WindowKey = key, UserId = user, UserName = user, IsAuthenticated = user is not null };
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private static async Task LoginAsync(HttpContext http, string name, string? roles, string? permissions)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, name), new(ClaimTypes.Name, name) };
        foreach (var role in (roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }
        foreach (var permission in (permissions ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            claims.Add(new Claim("permission", permission));
        }
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        await http.Response.WriteAsync("signed in as " + name);
    }

    private static async Task PageAsync(HttpContext http, string? topics)
    {
        if (topics is not null)
        {
            http.SetWebSocketTopics([.. topics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(
            "<!doctype html><html><head><script src=\"/switchboard/df.js\"></script></head><body>" +
            http.SwitchboardInitHtml() + "</body></html>");
    }
}
