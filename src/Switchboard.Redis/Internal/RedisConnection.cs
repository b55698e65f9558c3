using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// The shared multiplexer of one Redis role (<see cref="RedisEndpoint"/>: the browser side, or the queues). It never
/// aborts on a failed connect: a process started while Redis is down keeps retrying and works once Redis is reachable;
/// StackExchange.Redis re-subscribes every channel after a reconnect. Blocking reads get multiplexers of their own
/// (<see cref="CreateBlockingAsync"/>), never this one. A multiplexer from the application's factory is used as it is
/// and left to the application to dispose. Logs and exceptions describe the endpoint without its password.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly SwitchboardRedisOptions _options;
    private readonly RedisEndpoint _endpoint;
    private readonly IServiceProvider? _services;
    private readonly ILogger _logger;
    private readonly Lazy<Task<IConnectionMultiplexer>> _shared;
    private int _disposed;

    /// <summary>The browser side's endpoint, from a connection string or configuration (tests build it so).</summary>
    public RedisConnection(IOptions<SwitchboardRedisOptions> options, ILogger<RedisConnection> logger)
        : this(options.Value, RedisEndpoint.Browser(options.Value), services: null, logger)
    {
    }

    public RedisConnection(SwitchboardRedisOptions options, RedisEndpoint endpoint, IServiceProvider? services, ILogger logger)
    {
        _options = options;
        _endpoint = endpoint;
        _services = services;
        _logger = logger;
        Names = new RedisNames(_options.Prefix);
        _shared = new Lazy<Task<IConnectionMultiplexer>>(ConnectSharedAsync);
    }

    public RedisNames Names { get; }

    public SwitchboardRedisOptions Options => _options;

    /// <summary>The role this connection serves (<see cref="RedisEndpoint.BrowserRole"/> or <see cref="RedisEndpoint.QueuesRole"/>).</summary>
    public string Role => _endpoint.Role;

    /// <summary>The endpoint for log lines and exception messages, without the password.</summary>
    public string Description => _endpoint.Describe();

    public Task<IConnectionMultiplexer> GetAsync() => _shared.Value;

    public async Task<IDatabase> DatabaseAsync() => (await GetAsync()).GetDatabase();

    /// <summary>
    /// A multiplexer for one blocking reader (RESP2, so raw XREADGROUP replies have one shape). With the application's
    /// multiplexer, it is made from the connection string or configuration set beside the factory, else from the
    /// application multiplexer's own configuration (endpoints, password, TLS; not certificate callbacks).
    /// </summary>
    public async Task<ConnectionMultiplexer> CreateBlockingAsync(string name)
    {
        var config = _endpoint.CreateConfiguration()
            ?? ConfigurationOptions.Parse((await GetAsync()).Configuration);
        return await ConnectAsync(config, name, RedisProtocol.Resp2);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both directly and through RedisRoles: dispose once. The application's multiplexer stays open.
        if (Interlocked.Exchange(ref _disposed, 1) == 1 || !_shared.IsValueCreated || _endpoint.Factory is not null)
        {
            return;
        }
        await (await _shared.Value).DisposeAsync();
    }

    private async Task<IConnectionMultiplexer> ConnectSharedAsync()
    {
        if (_endpoint.Factory is { } factory)
        {
            var services = _services ?? throw new InvalidOperationException("A Redis connection factory needs the service provider.");
            return await factory(services) ?? throw new InvalidOperationException(
                $"The Redis connection factory of the {Role} role returned no multiplexer.");
        }
        var clientName = Role == RedisEndpoint.BrowserRole ? "switchboard" : "switchboard-" + Role;
        return await ConnectAsync(_endpoint.CreateConfiguration()!, clientName, RedisProtocol.Resp3);
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions config, string clientName, RedisProtocol protocol)
    {
        config.AbortOnConnectFail = false;
        config.ClientName ??= clientName;
        config.Protocol = protocol;
        config.AsyncTimeout = Math.Max(config.AsyncTimeout, (int)(_options.BlockTimeout.TotalMilliseconds * 2) + 5000);
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(config);
        multiplexer.ConnectionFailed += (_, e) => LogConnectionFailed(_logger, clientName, e.EndPoint?.ToString(), e.FailureType.ToString(), e.Exception);
        multiplexer.ConnectionRestored += (_, e) => LogConnectionRestored(_logger, clientName, e.EndPoint?.ToString());
        if (!multiplexer.IsConnected)
        {
            LogNotYetConnected(_logger, clientName, config.ToString(includePassword: false));
        }
        return multiplexer;
    }

    [LoggerMessage(EventId = 4001, EventName = "RedisConnectionFailed", Level = LogLevel.Warning,
        Message = "Redis connection {Client} to {EndPoint} failed ({FailureType}); retrying in the background, local windows keep working.")]
    private static partial void LogConnectionFailed(ILogger logger, string client, string? endPoint, string failureType, Exception? exception);

    [LoggerMessage(EventId = 4002, EventName = "RedisConnectionRestored", Level = LogLevel.Information,
        Message = "Redis connection {Client} to {EndPoint} restored; subscriptions are renewed.")]
    private static partial void LogConnectionRestored(ILogger logger, string client, string? endPoint);

    [LoggerMessage(EventId = 4003, EventName = "RedisNotYetConnected", Level = LogLevel.Warning,
        Message = "Redis connection {Client} to {Configuration} is not up yet; Switchboard keeps retrying.")]
    private static partial void LogNotYetConnected(ILogger logger, string client, string configuration);
}
