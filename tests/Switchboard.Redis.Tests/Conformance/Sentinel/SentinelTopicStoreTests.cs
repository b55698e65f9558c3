using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance.Sentinel;

/// <summary><see cref="RedisTopicStore"/> passes its contract through Sentinel, one connection per store (as on a single server).</summary>
[SentinelTests]
public sealed class SentinelTopicStoreTests(SentinelFixture redis) : TopicStoreConformanceTests, IClassFixture<SentinelFixture>
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
