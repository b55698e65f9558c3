using Switchboard.Redis.Tests.Conformance;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// The job queue contract on a 3-master Redis Cluster: every script touches the keys of one queue's hash tag (<see
/// cref="RedisJobQueueConformance{TFixture}"/>).
/// </summary>
[RedisCluster]
public sealed class ClusterJobQueueTests(RedisClusterFixture redis) : RedisJobQueueConformance<RedisClusterFixture>(redis);
