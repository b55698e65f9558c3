using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// <see cref="RedisPresenceStore"/> passes the presence store contract. Expiries are the writers' instants (scores), not
/// Redis TTLs, so nothing waits here either.
/// </summary>
public sealed class RedisPresenceStoreTests(RedisFixture redis) : PresenceStoreConformanceTests, IClassFixture<RedisFixture>
{
    private readonly List<RedisConnection> _connections = [];

    protected override Task<IPresenceStore[]> CreateStoresAsync(int count)
    {
        var stores = new IPresenceStore[count];
        for (var i = 0; i < count; i++)
        {
            // One connection per store: a store on another node reads what this one wrote.
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

    [Fact]
    public async Task KeysOfOneTopicShareAHashSlotAndAreNamedByThePrefix()
    {
        var store = (await CreateStoresAsync(1))[0];
        var topic = "-str.room:slot";
        await store.AddAsync(new PresenceEntry(topic, "n", "1", "u", "U"), T0, default).DefaultTimeout();

        var names = new RedisNames(redis.Prefix);
        var entries = (string)names.PresenceEntries(topic)!;
        var users = (string)names.PresenceUsers(topic)!;
        Assert.StartsWith(redis.Prefix, entries, StringComparison.Ordinal);
        Assert.True(await redis.Db.KeyExistsAsync(entries));
        Assert.True(await redis.Db.KeyExistsAsync(users));
        Assert.Equal(Slot(entries), Slot(users));
        Assert.True(await redis.Db.KeyTimeToLiveAsync(entries) is { } ttl && ttl > TimeSpan.Zero);
    }

    private int Slot(string key) => redis.Raw.HashSlot(key);
}
