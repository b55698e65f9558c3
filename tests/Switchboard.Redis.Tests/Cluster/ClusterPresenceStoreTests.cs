using Switchboard.Redis.Tests.Conformance;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// The presence store contract on a 3-master Redis Cluster (<see cref="RedisPresenceStoreConformance{TFixture}"/>).
/// </summary>
[RedisCluster]
public sealed class ClusterPresenceStoreTests(RedisClusterFixture redis) : RedisPresenceStoreConformance<RedisClusterFixture>(redis);
