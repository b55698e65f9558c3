using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// <see cref="RedisBroker"/> against the broker contract on the deployment of <typeparamref name="TFixture"/> (a single
/// server, Sentinel or a Redis Cluster: one tiny subclass each). Each node has a connection (multiplexer) of its own, as
/// each web node process would (<see cref="RedisBrokerNodes"/>); all share the fixture's key prefix.
/// </summary>
public abstract class RedisBrokerConformance<TFixture>(TFixture redis) : BrokerConformanceTests, IClassFixture<TFixture>
    where TFixture : RedisFixture
{
    private readonly RedisBrokerNodes _nodes = new();

    protected override Task<IBroker[]> CreateNodesAsync(int count) =>
        Task.FromResult(Enumerable.Range(0, count).Select(_ => _nodes.Create(redis.Options(), new SwitchboardOptions { History = History })).ToArray());

    protected override ValueTask DisposeNodeAsync(IBroker node) => _nodes.StopAsync(node);
}
