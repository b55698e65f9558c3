using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Adds the Redis checks beside Switchboard's own when the application asked for those
/// (<c>services.AddHealthChecks().AddSwitchboard()</c>: a registration tagged <see cref="SwitchboardHealthChecks.Tag"/>),
/// with the same tags; an application that never asked gets none. One check per Redis: <see cref="Browser"/> (both roles
/// when the queues share it) and <see cref="Queues"/> when the queues have a Redis of their own.
/// </summary>
internal sealed class RedisHealthChecks(IOptions<SwitchboardRedisOptions> redis) : IPostConfigureOptions<HealthCheckServiceOptions>
{
    public const string Browser = "switchboard-redis";
    public const string Queues = "switchboard-redis-queues";

    public static void Add(IServiceCollection services) =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HealthCheckServiceOptions>, RedisHealthChecks>());

    public void PostConfigure(string? name, HealthCheckServiceOptions options)
    {
        var switchboard = options.Registrations.FirstOrDefault(r => r.Tags.Contains(SwitchboardHealthChecks.Tag));
        if (switchboard is null || options.Registrations.Any(r => r.Name == Browser))
        {
            return;
        }
        var separate = RedisEndpoint.Queues(redis.Value) is not null;
        options.Registrations.Add(new HealthCheckRegistration(Browser,
            sp => new RedisHealthCheck(sp.GetRequiredService<RedisRoles>().Browser, separate ? "browser side" : "browser side and queues",
                sp.GetRequiredService<IOptions<SwitchboardOptions>>()),
            failureStatus: null, switchboard.Tags));
        if (separate)
        {
            options.Registrations.Add(new HealthCheckRegistration(Queues,
                sp => new RedisHealthCheck(sp.GetRequiredService<RedisRoles>().Queues, "queues", sp.GetRequiredService<IOptions<SwitchboardOptions>>()),
                failureStatus: null, switchboard.Tags));
        }
    }
}
