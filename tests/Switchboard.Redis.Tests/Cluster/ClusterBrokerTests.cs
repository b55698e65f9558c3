using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// <see cref="RedisBroker"/> passes the broker contract on a 3-master Redis Cluster: each topic's keys and sharded
/// channel in the slot of its hash tag, multi-topic publishes split into one sequenced publish per topic.
/// </summary>
[RedisCluster]
public sealed class ClusterBrokerTests(RedisClusterFixture redis) : BrokerConformanceTests, IClassFixture<RedisClusterFixture>
{
    private readonly RedisBrokerNodes _nodes = new();

    protected override Task<IBroker[]> CreateNodesAsync(int count) =>
        Task.FromResult(Enumerable.Range(0, count).Select(_ => _nodes.Create(redis.Options(), new SwitchboardOptions { History = History })).ToArray());

    protected override ValueTask DisposeNodeAsync(IBroker node) => _nodes.StopAsync(node);
}
