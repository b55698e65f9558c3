using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
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
    /// <param name="configuration">
    /// A StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379</c> (TLS and password in it:
    /// <c>host:6380,ssl=true,password=SECRET</c>). Set <see cref="SwitchboardRedisOptions.QueuesConfiguration"/> in
    /// <paramref name="configure"/> to keep the queues on another Redis.
    /// </param>
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
        return AddRedisCore(builder, o => o.Configuration = configuration, configure);
    }

    /// <summary>Uses Redis, connecting with a copy of <paramref name="configuration"/> (TLS callbacks, Sentinel, ...).</summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="configuration">The StackExchange.Redis configuration; Switchboard never modifies it.</param>
    /// <param name="configure">Further options.</param>
    public static ISwitchboardBuilder AddRedis(this ISwitchboardBuilder builder, ConfigurationOptions configuration, Action<SwitchboardRedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        return AddRedisCore(builder, o => o.ConfigurationOptions = configuration, configure);
    }

    /// <summary>
    /// Uses Redis through the application's own multiplexer (e.g. one registered by other libraries), asked for once;
    /// Switchboard never disposes it. See <see cref="SwitchboardRedisOptions.ConnectionFactory"/> for the connections
    /// blocking job readers open beside it.
    /// </summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="connectionFactory">Returns the multiplexer, e.g. <c>sp =&gt; Task.FromResult(sp.GetRequiredService&lt;IConnectionMultiplexer&gt;())</c>.</param>
    /// <param name="configure">Further options.</param>
    public static ISwitchboardBuilder AddRedis(
        this ISwitchboardBuilder builder, Func<IServiceProvider, Task<IConnectionMultiplexer>> connectionFactory, Action<SwitchboardRedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionFactory);
        return AddRedisCore(builder, o => o.ConnectionFactory = connectionFactory, configure);
    }

    private static ISwitchboardBuilder AddRedisCore(ISwitchboardBuilder builder, Action<SwitchboardRedisOptions> connection, Action<SwitchboardRedisOptions>? configure)
    {
        var services = builder.Services;
        services.AddOptions<SwitchboardRedisOptions>()
            .Configure(o =>
            {
                connection(o);
                configure?.Invoke(o);
            })
            .Validate(o => RedisEndpoint.Browser(o).IsSet,
                "Switchboard Redis: Configuration (the connection string), ConfigurationOptions or ConnectionFactory is required.")
            .Validate(o => !RedisEndpoint.Browser(o).IsAmbiguous && RedisEndpoint.Queues(o)?.IsAmbiguous is not true,
                "Switchboard Redis: set a connection string or a ConfigurationOptions, not both (Configuration / ConfigurationOptions, QueuesConfiguration / QueuesConfigurationOptions).")
            .Validate(o => !RedisEndpoint.Browser(o).HasInvalidConfiguration && RedisEndpoint.Queues(o)?.HasInvalidConfiguration is not true,
                "Switchboard Redis: Configuration or QueuesConfiguration is not a valid StackExchange.Redis connection string.")
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
        // The browser side and the queues: one connection, or two when Queues* options are set (RedisRoles).
        services.TryAddSingleton<RedisRoles>();
        services.TryAddSingleton(sp => sp.GetRequiredService<RedisRoles>().Browser);
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<RedisJobQueue>(sp, sp.GetRequiredService<RedisRoles>().Queues));
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<SwitchboardRedisOptions>, RedisConnection>((keys, redis, connection) =>
        {
            // Never over a repository the application chose (PersistKeysTo... before AddRedis; one chosen after wins anyway).
            if (redis.Value.ShareDataProtectionKeys && keys.XmlRepository is null)
            {
                keys.XmlRepository = new RedisXmlRepository(connection);
            }
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisDataProtectionReport>());
        services.Replace(ServiceDescriptor.Singleton<IBroker, RedisBroker>());
        services.Replace(ServiceDescriptor.Singleton<ITopicStore, RedisTopicStore>());
        services.Replace(ServiceDescriptor.Singleton<IPresenceStore, RedisPresenceStore>());
        services.Replace(ServiceDescriptor.Singleton<IJobQueue>(sp => sp.GetRequiredService<RedisJobQueue>()));
        services.Replace(ServiceDescriptor.Singleton<IDeadLetterQueue>(sp => sp.GetRequiredService<RedisJobQueue>()));
        services.Replace(ServiceDescriptor.Singleton<IQueueStatistics>(sp => sp.GetRequiredService<RedisJobQueue>()));
        RedisHealthChecks.Add(services);
        return builder;
    }
}
