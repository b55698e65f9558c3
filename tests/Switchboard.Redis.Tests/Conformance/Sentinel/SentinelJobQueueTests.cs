using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance.Sentinel;

/// <summary>
/// <see cref="RedisJobQueue"/> passes the job queue contract through Sentinel: the shared multiplexer and each queue
/// reader's blocking multiplexer both find the master through Sentinel. Real clock, as in <see cref="RedisJobQueueTests"/>.
/// </summary>
[SentinelTests]
public sealed class SentinelJobQueueTests(SentinelFixture redis) : JobQueueConformanceTests, IClassFixture<SentinelFixture>
{
    private readonly RedisQueueProcesses _processes = new();

    protected override TimeProvider Time => TimeProvider.System;

    protected override Task<IJobQueue> CreateQueueAsync() => Task.FromResult<IJobQueue>(_processes.Start(redis.Options()));

    protected override Task AdvanceTimeAsync(TimeSpan by) => Task.Delay(by);

    protected override async ValueTask DisposeQueueAsync(IJobQueue queue) => await _processes.StopAsync((RedisJobQueue)queue);
}
