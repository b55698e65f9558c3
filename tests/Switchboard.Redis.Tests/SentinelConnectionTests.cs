using System.Globalization;

namespace Switchboard.Redis.Tests;

/// <summary>
/// Connecting through Sentinel when no Sentinel answers yet: commands fail meanwhile, and a process started before its
/// Sentinels works once they are up, without a restart (as a plain connection does once its server is up).
/// </summary>
public sealed class SentinelConnectionTests
{
    [SentinelFact(NeedsServer = true)]
    public async Task AProcessStartedBeforeItsSentinelConnectsOnceTheSentinelIsUp()
    {
        await using var set = await RedisSentinelSet.StartAsync();
        var port = RedisServer.FreePort();
        var prefix = $"t-{Guid.NewGuid():N}:";
        await using var connection = TestRedis.Connection(
            TestRedis.Options("127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + ",serviceName=" + set.Service + ",connectTimeout=1000", prefix));

        Assert.NotNull(await Record.ExceptionAsync(() => WriteAsync(connection, prefix)));

        await using var sentinel = await RedisSentinel.StartOnAsync(set.Service, set.Master.Port, 1, port);
        await RedisPolling.WaitUntilAsync(async () =>
        {
            try
            {
                await WriteAsync(connection, prefix);
                return true;
            }
            // StackExchange.Redis reports an unreachable Sentinel as RedisConnectionException or, from the Sentinel
            // multiplexer it disposes on the way out, ObjectDisposedException.
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                return false;
            }
        }, "a write through the Sentinel that came up", TimeSpan.FromSeconds(30));
        Assert.Equal("written", await set.Master.CommandAsync("GET", prefix + "k"));
    }

    private static async Task WriteAsync(Internal.RedisConnection connection, string prefix) =>
        await (await connection.DatabaseAsync()).StringSetAsync(prefix + "k", "written");
}
