using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.MigrationExamples.FromSignalR.After;

/// <summary>The application of docs/from-signalr.md, after the migration.</summary>
public static class ChatApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddAuthorization();
        var switchboard = builder.Services.AddSwitchboard(builder.Configuration.GetSection("Switchboard"))
            .AddSignalsFrom(typeof(ChatSignals).Assembly);
        if (builder.Configuration["Switchboard:Redis"] is { Length: > 0 } redis)
        {
            switchboard.AddRedis(redis);                         // the backplane, the queues and the history
        }
        builder.Services.AddSingleton<OrderNotifier>();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseSwitchboard();                                    // after UseAuthentication: windows know their user
        app.MapSwitchboard();                                    // instead of MapHub: /switchboard/ws and df.js
        app.MapSwitchboardWindows().RequireAuthorization();      // a window for a page with no server rendering
        return app;
    }
}
