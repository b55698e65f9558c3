using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.MigrationExamples.FromSignalR.Before;

/// <summary>The application of docs/from-signalr.md, before the migration.</summary>
public static class ChatApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddAuthorization();
        builder.Services.AddSignalR();                           // several servers: .AddStackExchangeRedis(...)
        builder.Services.AddSingleton<OrderNotifier>();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHub<ChatHub>("/hubs/chat");
        return app;
    }
}
