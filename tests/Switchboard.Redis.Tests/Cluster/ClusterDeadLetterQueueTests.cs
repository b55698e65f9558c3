using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// <see cref="RedisJobQueue"/>'s dead letters pass the dead-letter contract on a 3-master Redis Cluster (capacity as in
/// <see cref="Conformance.RedisDeadLetterQueueTests"/>).
/// </summary>
[RedisCluster]
public sealed class ClusterDeadLetterQueueTests(RedisClusterFixture redis) : DeadLetterQueueConformanceTests, IClassFixture<RedisClusterFixture>
{
    private readonly RedisQueueProcesses _processes = new();

    protected override int Capacity => 10;

    protected override int DeadLettersBeyondCapacity => 200;

    protected override Task<IJobQueue> CreateQueueAsync() =>
        Task.FromResult<IJobQueue>(_processes.Start(redis.Options(o => o.DeadLetterCapacity = Capacity)));

    protected override async ValueTask DisposeQueueAsync(IJobQueue queue) => await _processes.StopAsync((RedisJobQueue)queue);
}
