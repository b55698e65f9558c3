using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// <see cref="RedisTopicStore"/> passes the topic store contract. Redis keeps the TTL with its own clock, so time passes
/// for real: <see cref="AdvanceTimeAsync"/> waits; <see cref="TopicStoreConformanceTests.ShortTimeToLive"/> keeps its
/// default of 1 s.
/// </summary>
public sealed class RedisTopicStoreTests(RedisFixture redis) : TopicStoreConformanceTests, IClassFixture<RedisFixture>
{
    private readonly List<RedisConnection> _connections = [];

    protected override Task<ITopicStore[]> CreateStoresAsync(int count)
    {
        var stores = new ITopicStore[count];
        for (var i = 0; i < count; i++)
        {
            // One connection per store: a store on another node reads what this one wrote.
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
