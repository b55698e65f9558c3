using Switchboard.Redis.Tests.Conformance;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// The dead-letter contract on a 3-master Redis Cluster (<see cref="RedisDeadLetterQueueConformance{TFixture}"/>).
/// </summary>
[RedisCluster]
public sealed class ClusterDeadLetterQueueTests(RedisClusterFixture redis) : RedisDeadLetterQueueConformance<RedisClusterFixture>(redis);
