using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary><see cref="RedisTopicStore"/> passes the topic store contract on a 3-master Redis Cluster.</summary>
[RedisCluster]
public sealed class ClusterTopicStoreTests(RedisClusterFixture redis) : TopicStoreConformanceTests, IClassFixture<RedisClusterFixture>
{
    private readonly List<RedisConnection> _connections = [];

    protected override Task<ITopicStore[]> CreateStoresAsync(int count)
    {
        var stores = new ITopicStore[count];
        for (var i = 0; i < count; i++)
        {
            var connection = TestRedis.Connection(redis.Options());
            lock (_connections)
            {
                _connections.Add(connection);
            }
            stores[i] = new RedisTopicStore(connection);
        }
        return Task.FromResult(stores);
    }

    // Real Redis, real clock: letting time pass is waiting.
    protected override Task AdvanceTimeAsync(TimeSpan by) => Task.Delay(by);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
