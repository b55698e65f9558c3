using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// The Redis every test class shares: the one named by <c>SWITCHBOARD_TEST_REDIS</c>, else one private redis-server for
/// the whole run (started on first use, shut down at the end of the run by <see cref="RedisTestFramework"/>, or when the
/// process exits before that). Never restarted: tests that restart Redis start a <see cref="RedisServer"/> of their own.
/// </summary>
internal static class SharedRedis
{
    public static SharedDeployment<RedisServer> Instance { get; } = new(
        () => RedisAvailability.SharedConfiguration, () => RedisServer.StartAsync(), s => s.Configuration, s => s.Kill(wait: false));

    public static Task<string> GetConfigurationAsync() => Instance.GetConfigurationAsync();

    public static Task StopAsync() => Instance.StopAsync();
}

/// <summary>
/// Class fixture: the shared Redis with a key prefix of the test class's own (<c>t-{guid}:</c>), so classes running in
/// parallel never see each other's keys, channels, streams or jobs; and a raw connection for assertions.
/// </summary>
public class RedisFixture : IAsyncLifetime
{
    private ConnectionMultiplexer? _raw;

    /// <summary>The connection string of the shared Redis.</summary>
    public string Configuration { get; private set; } = "";

    /// <summary>This class's key prefix.</summary>
    public string Prefix { get; } = $"t-{Guid.NewGuid():N}:";

    /// <summary>A plain connection to the shared Redis, for looking at keys directly.</summary>
    public ConnectionMultiplexer Raw => _raw ?? throw new InvalidOperationException("Redis is unavailable.");

    public IDatabase Db => Raw.GetDatabase();

    public async Task InitializeAsync()
    {
        if (await GetConfigurationAsync() is not { } configuration)
        {
            return;
        }
        Configuration = configuration;
        _raw = await ConnectionMultiplexer.ConnectAsync(Configuration);
    }

    /// <summary>The Redis to use, or null when it is unavailable (the tests are then reported skipped).</summary>
    protected virtual async Task<string?> GetConfigurationAsync() =>
        RedisAvailability.SkipReason is null ? await SharedRedis.GetConfigurationAsync() : null;

    public async Task DisposeAsync()
    {
        if (_raw is not null)
        {
            // Leave the shared server as found (it may be a developer's): drop this class's keys, on every primary (a
            // cluster's keys are spread over them; one DEL per key, as keys of different slots cannot share one).
            foreach (var server in _raw.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                var keys = server.Keys(pattern: Prefix + "*", pageSize: 1000).ToArray();
                await Task.WhenAll(keys.Select(k => _raw.GetDatabase().KeyDeleteAsync(k)));
            }
            await _raw.DisposeAsync();
        }
    }

    /// <summary>The stream of job queue <paramref name="queue"/>.</summary>
    public RedisKey QueueKey(string queue) => Prefix + "{q:" + queue + "}";

    /// <summary>The delayed jobs of queue <paramref name="queue"/> (sorted set).</summary>
    public RedisKey DelayedKey(string queue) => Prefix + "{q:" + queue + "}:delayed";

    /// <summary>The line of ordering key <paramref name="key"/> on queue <paramref name="queue"/> (list).</summary>
    public RedisKey LineKey(string queue, string key) => Prefix + "{q:" + queue + "}:o:" + key;

    /// <summary>How many jobs of <paramref name="queue"/> are taken and not yet acknowledged, by every consumer.</summary>
    public async Task<long> PendingCountAsync(string queue) =>
        (await Db.StreamPendingAsync(QueueKey(queue), RedisNames.ConsumerGroup)).PendingMessageCount;

    /// <summary>Backend options for this class, with short timings for tests.</summary>
    public SwitchboardRedisOptions Options(Action<SwitchboardRedisOptions>? configure = null) => TestRedis.Options(Configuration, Prefix, configure);
}

/// <summary>Building blocks for backend objects outside DI.</summary>
internal static class TestRedis
{
    public static SwitchboardRedisOptions Options(string configuration, string prefix, Action<SwitchboardRedisOptions>? configure = null)
    {
        var options = new SwitchboardRedisOptions
        {
            Configuration = configuration,
            Prefix = prefix,
            JobLease = TimeSpan.FromSeconds(30),
            LeaseRenewInterval = TimeSpan.FromSeconds(10),
            BlockTimeout = TimeSpan.FromMilliseconds(200),
            DelayedPollInterval = TimeSpan.FromMilliseconds(20),
        };
        configure?.Invoke(options);
        return options;
    }

    public static RedisConnection Connection(SwitchboardRedisOptions options, ILoggerFactory? logs = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options), (logs ?? NullLoggerFactory.Instance).CreateLogger<RedisConnection>());

    /// <summary>A job queue on <paramref name="connection"/> (one "process"; <see cref="RedisQueueProcesses"/> keeps them).</summary>
    public static RedisJobQueue Queue(RedisConnection connection, TimeProvider? time = null, int workers = 4, ILoggerFactory? logs = null) =>
        new(connection, time ?? TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions { Workers = new WorkerOptions { Count = workers } }),
            (logs ?? NullLoggerFactory.Instance).CreateLogger<RedisJobQueue>());
}
