using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary><see cref="RedisPresenceStore"/> passes the presence store contract on a 3-master Redis Cluster.</summary>
[RedisCluster]
public sealed class ClusterPresenceStoreTests(RedisClusterFixture redis) : PresenceStoreConformanceTests, IClassFixture<RedisClusterFixture>
{
    private readonly List<RedisConnection> _connections = [];

    protected override Task<IPresenceStore[]> CreateStoresAsync(int count)
    {
        var stores = new IPresenceStore[count];
        for (var i = 0; i < count; i++)
        {
            var connection = TestRedis.Connection(redis.Options());
            lock (_connections)
            {
                _connections.Add(connection);
            }
            stores[i] = new RedisPresenceStore(connection);
        }
        return Task.FromResult(stores);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
