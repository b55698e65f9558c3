using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// The shared multiplexer. It never aborts on a failed connect: a process started while Redis is down keeps retrying
/// and works once Redis is reachable; StackExchange.Redis re-subscribes every channel after a reconnect.
/// Blocking reads get multiplexers of their own (<see cref="CreateBlockingAsync"/>), never this one.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly SwitchboardRedisOptions _options;
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lazy<Task<ConnectionMultiplexer>> _shared;

    public RedisConnection(IOptions<SwitchboardRedisOptions> options, ILogger<RedisConnection> logger)
    {
        _options = options.Value;
        _logger = logger;
        Names = new RedisNames(_options.Prefix);
        _shared = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectAsync("switchboard", RedisProtocol.Resp3));
    }

    public RedisNames Names { get; }

    public SwitchboardRedisOptions Options => _options;

    public Task<ConnectionMultiplexer> GetAsync() => _shared.Value;

    public async Task<IDatabase> DatabaseAsync() => (await GetAsync()).GetDatabase();

    /// <summary>A multiplexer for one blocking reader (RESP2, so raw XREADGROUP replies have one shape).</summary>
    public Task<ConnectionMultiplexer> CreateBlockingAsync(string name) => ConnectAsync(name, RedisProtocol.Resp2);

    public async ValueTask DisposeAsync()
    {
        if (_shared.IsValueCreated)
        {
            await (await _shared.Value).DisposeAsync();
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(string clientName, RedisProtocol protocol)
    {
        var config = ConfigurationOptions.Parse(_options.Configuration);
        config.AbortOnConnectFail = false;
        config.ClientName ??= clientName;
        config.Protocol = protocol;
        config.AsyncTimeout = Math.Max(config.AsyncTimeout, (int)(_options.BlockTimeout.TotalMilliseconds * 2) + 5000);
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(config);
        multiplexer.ConnectionFailed += (_, e) => LogConnectionFailed(_logger, clientName, e.EndPoint?.ToString(), e.FailureType.ToString(), e.Exception);
        multiplexer.ConnectionRestored += (_, e) => LogConnectionRestored(_logger, clientName, e.EndPoint?.ToString());
        if (!multiplexer.IsConnected)
        {
            LogNotYetConnected(_logger, clientName, _options.Configuration);
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
