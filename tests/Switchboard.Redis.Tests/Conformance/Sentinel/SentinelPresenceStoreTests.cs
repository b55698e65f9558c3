using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance.Sentinel;

/// <summary><see cref="RedisPresenceStore"/> passes its contract through Sentinel, one connection per store (as on a single server).</summary>
[SentinelTests]
public sealed class SentinelPresenceStoreTests(SentinelFixture redis) : PresenceStoreConformanceTests, IClassFixture<SentinelFixture>
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
