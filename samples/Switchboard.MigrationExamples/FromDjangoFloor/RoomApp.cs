using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.MigrationExamples.FromDjangoFloor;

/// <summary>The DjangoFloor settings of docs/from-djangofloor.md, ported: the whole application.</summary>
public static class RoomApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var switchboard = builder.Services.AddSwitchboard(builder.Configuration.GetSection("Switchboard"))
            .AddSignalsFrom(typeof(RoomSignals).Assembly);       // INSTALLED_APPS' signals.py and functions.py
        if (builder.Configuration["Switchboard:Redis"] is { Length: > 0 } redis)
        {
            switchboard.AddRedis(redis);                         // WEBSOCKET_REDIS_* and the Celery broker
        }
        var app = builder.Build();
        app.UseSwitchboard();                                    // DjangoFloorMiddleware: a window key per page
        app.MapSwitchboard();                                    // WEBSOCKET_URL and djangofloor-base.js
        app.MapRoomPage();
        return app;
    }
}
