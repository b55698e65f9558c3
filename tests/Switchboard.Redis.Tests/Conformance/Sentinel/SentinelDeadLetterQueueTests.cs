using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance.Sentinel;

/// <summary><see cref="RedisJobQueue"/>'s dead letters pass the dead-letter contract through Sentinel (as <see cref="RedisDeadLetterQueueTests"/>).</summary>
[SentinelTests]
public sealed class SentinelDeadLetterQueueTests(SentinelFixture redis) : DeadLetterQueueConformanceTests, IClassFixture<SentinelFixture>
{
    private readonly RedisQueueProcesses _processes = new();

    protected override int Capacity => 10;

    protected override int DeadLettersBeyondCapacity => 200;

    protected override Task<IJobQueue> CreateQueueAsync() =>
        Task.FromResult<IJobQueue>(_processes.Start(redis.Options(o => o.DeadLetterCapacity = Capacity)));

    protected override async ValueTask DisposeQueueAsync(IJobQueue queue) => await _processes.StopAsync((RedisJobQueue)queue);
}
