using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Whether the shared multiplexer talks to a Redis Cluster: then topic channels are sharded (<c>SSUBSCRIBE</c>,
/// <c>SPUBLISH</c>, Redis ≥ 7), so a message only travels within the shard that holds its topic, and a publish batch
/// is split by hash slot. A single server keeps classic pub/sub (any Redis version). The answer is taken from the
/// first connected server and kept: a deployment does not change its kind while a process runs.
/// </summary>
internal sealed class RedisClusterMode(RedisConnection connection)
{
    private const int Unknown = 0, Single = 1, Cluster = 2;
    private int _mode;

    /// <summary>
    /// True on a cluster. Throws <see cref="RedisConnectionException"/> while no server is connected: subscribing
    /// then on the wrong kind of channel would lose every message, so the caller fails (and retries) as on any outage.
    /// </summary>
    public async Task<bool> IsClusterAsync()
    {
        var mode = Volatile.Read(ref _mode);
        if (mode == Unknown)
        {
            mode = Detect(await connection.GetAsync());
            Volatile.Write(ref _mode, mode);
        }
        return mode == Cluster;
    }

    /// <summary>The channel of <paramref name="topic"/> as this deployment carries it.</summary>
    public async Task<RedisChannel> ChannelAsync(string topic)
    {
        var name = connection.Names.Channel(topic);
        return await IsClusterAsync() ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
    }

    private static int Detect(IConnectionMultiplexer multiplexer)
    {
        foreach (var server in multiplexer.GetServers())
        {
            if (server.IsConnected)
            {
                return server.ServerType == ServerType.Cluster ? Cluster : Single;
            }
        }
        throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None,
            "No Redis server is connected yet (cannot tell a cluster from a single server); retry once Redis is reachable.", null, CommandStatus.Unknown);
    }
}
