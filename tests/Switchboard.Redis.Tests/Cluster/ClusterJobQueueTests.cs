using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// <see cref="RedisJobQueue"/> passes the job queue contract (ordering lines included) on a 3-master Redis Cluster,
/// with the real clock as <see cref="Conformance.RedisJobQueueTests"/>: every script touches the keys of one queue's
/// hash tag.
/// </summary>
[RedisCluster]
public sealed class ClusterJobQueueTests(RedisClusterFixture redis) : JobQueueConformanceTests, IClassFixture<RedisClusterFixture>
{
    private readonly RedisQueueProcesses _processes = new();

    protected override TimeProvider Time => TimeProvider.System;

    protected override Task<IJobQueue> CreateQueueAsync() => Task.FromResult<IJobQueue>(_processes.Start(redis.Options()));

    protected override Task AdvanceTimeAsync(TimeSpan by) => Task.Delay(by);

    protected override async ValueTask DisposeQueueAsync(IJobQueue queue) => await _processes.StopAsync((RedisJobQueue)queue);
}
