using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Where one Redis role (the browser side, or the queues) connects: a connection string, a
/// <see cref="ConfigurationOptions"/>, or the application's own multiplexer from a factory. With a factory, a
/// connection string or configuration set beside it is used only for the blocking readers' connections.
/// </summary>
internal sealed record RedisEndpoint(
    string Role,
    string? Configuration,
    ConfigurationOptions? ConfigurationOptions,
    Func<IServiceProvider, Task<IConnectionMultiplexer>>? Factory)
{
    public const string BrowserRole = "browser";
    public const string QueuesRole = "queues";

    /// <summary>The browser side (and the queues, unless they have their own).</summary>
    public static RedisEndpoint Browser(SwitchboardRedisOptions o) =>
        new(BrowserRole, NullIfBlank(o.Configuration), o.ConfigurationOptions, o.ConnectionFactory);

    /// <summary>The queues' own Redis, or null when they share the browser side's.</summary>
    public static RedisEndpoint? Queues(SwitchboardRedisOptions o)
    {
        var endpoint = new RedisEndpoint(QueuesRole, NullIfBlank(o.QueuesConfiguration), o.QueuesConfigurationOptions, o.QueuesConnectionFactory);
        return endpoint.IsSet ? endpoint : null;
    }

    /// <summary>True when it says where to connect.</summary>
    public bool IsSet => Configuration is not null || ConfigurationOptions is not null || Factory is not null;

    /// <summary>True when both a connection string and a configuration are set: ambiguous, refused at startup.</summary>
    public bool IsAmbiguous => Configuration is not null && ConfigurationOptions is not null;

    /// <summary>True when a connection string is set and StackExchange.Redis cannot parse it.</summary>
    public bool HasInvalidConfiguration
    {
        get
        {
            if (Configuration is null)
            {
                return false;
            }
            try
            {
                _ = ConfigurationOptions.Parse(Configuration);
                return false;
            }
            catch (ArgumentException)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// A fresh configuration to connect with (callers change it), or null for a factory endpoint. Cloned, so the
    /// application's <see cref="ConfigurationOptions"/> object is never modified.
    /// </summary>
    public ConfigurationOptions? CreateConfiguration() =>
        ConfigurationOptions?.Clone() ?? (Configuration is null ? null : StackExchange.Redis.ConfigurationOptions.Parse(Configuration));

    /// <summary>The endpoint for logs and exception messages: never the password.</summary>
    public string Describe()
    {
        if (Factory is not null)
        {
            return "(the application's multiplexer)";
        }
        try
        {
            return CreateConfiguration()!.ToString(includePassword: false);
        }
        catch (ArgumentException)
        {
            return "(an invalid connection string)";
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
