using Switchboard;

namespace SwitchboardApp;

/// <summary>The app's Switchboard set-up, in one place: the web role, the worker role and the tests all use it.</summary>
public static class AppSwitchboard
{
    /// <summary>
    /// Adds Switchboard with the options of the <c>Switchboard</c> configuration section (appsettings.json) and every
    /// <c>[Signal]</c> method of this assembly.
    /// </summary>
    public static ISwitchboardBuilder AddAppSwitchboard(this IServiceCollection services, IConfiguration configuration)
    {
        var switchboard = services.AddSwitchboard(configuration.GetSection("Switchboard"))
            .AddSignalsFrom(typeof(GreetingSignals).Assembly);
#if (redis)
        // Without Switchboard:Redis, one process does everything in memory (dotnet run, the tests). With it, windows,
        // topics and job queues live in Redis, so any number of web nodes and workers share them.
        // Switchboard:RedisOptions binds the rest (e.g. Switchboard:RedisOptions:Prefix, to share one Redis).
        if (configuration["Switchboard:Redis"] is { Length: > 0 } redis)
        {
            switchboard.AddRedis(redis, options => configuration.GetSection("Switchboard:RedisOptions").Bind(options));
        }
#endif
        return switchboard;
    }
}
