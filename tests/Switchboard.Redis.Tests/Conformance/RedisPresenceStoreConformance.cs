using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// <see cref="RedisPresenceStore"/> against the presence store contract on the deployment of
/// <typeparamref name="TFixture"/>, one connection per store. Expiries are the writers' instants (scores), not Redis
/// TTLs, so nothing waits here. Plus the key layout: a presence topic's keys share one hash slot.
/// </summary>
public abstract class RedisPresenceStoreConformance<TFixture>(TFixture redis) : PresenceStoreConformanceTests, IClassFixture<TFixture>
    where TFixture : RedisFixture
{
    private readonly RedisConnections _connections = new();

    protected override Task<IPresenceStore[]> CreateStoresAsync(int count) =>
        Task.FromResult(Enumerable.Range(0, count).Select(_ => (IPresenceStore)new RedisPresenceStore(_connections.Create(redis.Options()))).ToArray());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _connections.DisposeAsync();
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
        // Meaningful on a cluster; elsewhere the multiplexer reports no slot (-1) for either.
        Assert.Equal(redis.Raw.HashSlot(entries), redis.Raw.HashSlot(users));
        Assert.True(await redis.Db.KeyTimeToLiveAsync(entries) is { } ttl && ttl > TimeSpan.Zero);
    }
}
