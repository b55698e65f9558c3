using Switchboard.Redis.Tests.Conformance;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// The broker contract on a 3-master Redis Cluster: each topic's keys and sharded channel in the slot of its hash tag,
/// multi-topic publishes split into one sequenced publish per topic (<see cref="RedisBrokerConformance{TFixture}"/>).
/// </summary>
[RedisCluster]
public sealed class ClusterBrokerTests(RedisClusterFixture redis) : RedisBrokerConformance<RedisClusterFixture>(redis);
