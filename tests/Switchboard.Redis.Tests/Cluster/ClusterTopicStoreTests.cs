using Switchboard.Redis.Tests.Conformance;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// The topic store contract on a 3-master Redis Cluster (<see cref="RedisTopicStoreConformance{TFixture}"/>).
/// </summary>
[RedisCluster]
public sealed class ClusterTopicStoreTests(RedisClusterFixture redis) : RedisTopicStoreConformance<RedisClusterFixture>(redis);
