namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// The Sentinel deployment every Sentinel test class shares: the one named by <c>SWITCHBOARD_TEST_REDIS_SENTINEL</c>, else
/// one private <see cref="RedisSentinelSet"/> for the whole run (started on first use, stopped when the process exits).
/// Never failed over: failover tests start a set of their own.
/// </summary>
internal static class SharedSentinel
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _configuration;
    private static RedisSentinelSet? _set;

    public static async Task<string> GetConfigurationAsync()
    {
        if (SentinelAvailability.SharedConfiguration is { } shared)
        {
            return shared;
        }
        await Gate.WaitAsync();
        try
        {
            if (_configuration is null)
            {
                _set = await RedisSentinelSet.StartAsync();
                _configuration = _set.Configuration;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _set.Kill();
            }
            return _configuration;
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>
/// Class fixture: the shared Sentinel deployment, connected through Sentinel (service name), with a key prefix of the
/// test class's own; and a raw connection (also through Sentinel, so it talks to the current master) for assertions.
/// </summary>
public sealed class SentinelFixture : IAsyncLifetime
{
    private ConnectionMultiplexer? _raw;

    /// <summary>The connection string: Sentinels and service name.</summary>
    public string Configuration { get; private set; } = "";

    /// <summary>This class's key prefix.</summary>
    public string Prefix { get; } = $"t-{Guid.NewGuid():N}:";

    /// <summary>A connection to the current master, found through Sentinel.</summary>
    public ConnectionMultiplexer Raw => _raw ?? throw new InvalidOperationException("Redis Sentinel is unavailable.");

    public IDatabase Db => Raw.GetDatabase();

    public async Task InitializeAsync()
    {
        if (SentinelAvailability.SkipReason is not null)
        {
            return;
        }
        Configuration = await SharedSentinel.GetConfigurationAsync();
        _raw = await ConnectionMultiplexer.ConnectAsync(Configuration);
    }

    public async Task DisposeAsync()
    {
        if (_raw is not null)
        {
            // Leave a shared deployment as found: drop this class's keys on the master.
            var server = _raw.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica);
            if (server is not null)
            {
                var keys = server.Keys(pattern: Prefix + "*", pageSize: 1000).ToArray();
                if (keys.Length > 0)
                {
                    await _raw.GetDatabase().KeyDeleteAsync(keys);
                }
            }
            await _raw.DisposeAsync();
        }
    }

    /// <summary>Backend options for this class, with short timings for tests, connecting through Sentinel.</summary>
    public SwitchboardRedisOptions Options(Action<SwitchboardRedisOptions>? configure = null) => TestRedis.Options(Configuration, Prefix, configure);
}
