using Switchboard.Redis.Tests.MultiProcess;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>The dashboard across processes on the Redis Cluster (its watch and page topics on their own shards).</summary>
[RedisCluster]
public sealed class ClusterDashboardProcessTests(RedisClusterFixture redis, ITestOutputHelper output)
    : DashboardAcrossProcesses<RedisClusterFixture>(redis, output);
