using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// <see cref="RedisBroker"/> passes the broker contract. Each node has a connection (multiplexer) of its own, as each
/// web node process would (<see cref="RedisBrokerNodes"/>); all share this class's key prefix on the shared Redis.
/// </summary>
public sealed class RedisBrokerTests(RedisFixture redis) : BrokerConformanceTests, IClassFixture<RedisFixture>
{
    private readonly RedisBrokerNodes _nodes = new();

    protected override Task<IBroker[]> CreateNodesAsync(int count) =>
        Task.FromResult(Enumerable.Range(0, count).Select(_ => _nodes.Create(redis.Options(), new SwitchboardOptions { History = History })).ToArray());

    protected override ValueTask DisposeNodeAsync(IBroker node) => _nodes.StopAsync(node);
}
