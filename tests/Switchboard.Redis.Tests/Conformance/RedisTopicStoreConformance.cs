using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// <see cref="RedisTopicStore"/> against the topic store contract on the deployment of <typeparamref name="TFixture"/>,
/// one connection per store (a store on another node reads what this one wrote). Redis keeps the TTL with its own
/// clock, so time passes for real: <see cref="AdvanceTimeAsync"/> waits;
/// <see cref="TopicStoreConformanceTests.ShortTimeToLive"/> keeps its default of 1 s.
/// </summary>
public abstract class RedisTopicStoreConformance<TFixture>(TFixture redis) : TopicStoreConformanceTests, IClassFixture<TFixture>
    where TFixture : RedisFixture
{
    private readonly RedisConnections _connections = new();

    protected override Task<ITopicStore[]> CreateStoresAsync(int count) =>
        Task.FromResult(Enumerable.Range(0, count).Select(_ => (ITopicStore)new RedisTopicStore(_connections.Create(redis.Options()))).ToArray());

    protected override Task AdvanceTimeAsync(TimeSpan by) => Task.Delay(by);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _connections.DisposeAsync();
    }
}
