using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard;
using Switchboard.Redis;
using Switchboard.Redis.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Switches Switchboard to Redis: many web nodes and workers as separate processes.</summary>
public static class SwitchboardRedisBuilderExtensions
{
    /// <summary>
    /// Uses Redis for fan-out between nodes (pub/sub), window topic lists (keys with TTL), presence entries (sorted sets) and durable job queues (Streams).
    /// Web nodes then run no workers unless <c>Switchboard:Workers:Queues</c> lists some.
    /// </summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="configuration">A StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379</c>.</param>
    /// <param name="configure">Further options.</param>
    public static ISwitchboardBuilder AddRedis(this ISwitchboardBuilder builder, string? configuration, Action<SwitchboardRedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw new ArgumentException(
                "AddRedis needs a StackExchange.Redis connection string such as '127.0.0.1:6379' (for example from Switchboard:Redis).",
                nameof(configuration));
        }
        var services = builder.Services;
        services.AddOptions<SwitchboardRedisOptions>()
            .Configure(o =>
            {
                o.Configuration = configuration;
                configure?.Invoke(o);
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.Configuration), "Switchboard Redis: Configuration (the connection string) is required.")
            .Validate(o => o.LeaseRenewInterval < o.JobLease, "Switchboard Redis: LeaseRenewInterval must be shorter than JobLease, or running jobs would be reclaimed.")
            .Validate(o => o.BlockTimeout > TimeSpan.Zero && o.DelayedPollInterval > TimeSpan.Zero, "Switchboard Redis: BlockTimeout and DelayedPollInterval must be positive.")
            .Validate(o => !string.IsNullOrEmpty(o.Prefix), "Switchboard Redis: Prefix must not be empty.")
            .Validate(o => o.OrderingLineExpiry > o.JobLease, "Switchboard Redis: OrderingLineExpiry must be longer than JobLease.")
            .ValidateOnStart();
        services.PostConfigure<SwitchboardOptions>(o =>
        {
            o.Workers.ServeAllQueuesWhenNoneListed = false;
            o.RouteUnknownServerSignals = true;
        });
        services.TryAddSingleton<RedisConnection>();
        services.TryAddSingleton<RedisJobQueue>();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<SwitchboardRedisOptions>, RedisConnection>((keys, redis, connection) =>
        {
            if (redis.Value.ShareDataProtectionKeys)
            {
                keys.XmlRepository = new RedisXmlRepository(connection);
            }
        });
        services.Replace(ServiceDescriptor.Singleton<IBroker, RedisBroker>());
        services.Replace(ServiceDescriptor.Singleton<ITopicStore, RedisTopicStore>());
        services.Replace(ServiceDescriptor.Singleton<IPresenceStore, RedisPresenceStore>());
        services.Replace(ServiceDescriptor.Singleton<IJobQueue>(sp => sp.GetRequiredService<RedisJobQueue>()));
        services.Replace(ServiceDescriptor.Singleton<IDeadLetterQueue>(sp => sp.GetRequiredService<RedisJobQueue>()));
        return builder;
    }
}
