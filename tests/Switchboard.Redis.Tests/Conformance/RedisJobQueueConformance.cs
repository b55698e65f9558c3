using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// <see cref="RedisJobQueue"/> against the job queue contract (ordering lines included) on the deployment of
/// <typeparamref name="TFixture"/>, with the real clock: delayed jobs are due by <see cref="TimeProvider.System"/>,
/// <see cref="AdvanceTimeAsync"/> lets real time pass, and every "it arrives when due" is an awaited dequeue with a
/// timeout (the delayed set is polled every 20 ms). <see cref="JobQueueConformanceTests.ShortDelay"/> keeps its default
/// of 1 s: the "not yet due" checks have that much margin on a loaded machine. Each queue is a process of its own
/// (<see cref="RedisQueueProcesses"/>): its shared multiplexer and each reader's blocking one.
/// </summary>
public abstract class RedisJobQueueConformance<TFixture>(TFixture redis) : JobQueueConformanceTests, IClassFixture<TFixture>
    where TFixture : RedisFixture
{
    private readonly RedisQueueProcesses _processes = new();

    protected override TimeProvider Time => TimeProvider.System;

    protected override Task<IJobQueue> CreateQueueAsync() => Task.FromResult<IJobQueue>(_processes.Start(redis.Options()));

    protected override Task AdvanceTimeAsync(TimeSpan by) => Task.Delay(by);

    protected override async ValueTask DisposeQueueAsync(IJobQueue queue) => await _processes.StopAsync((RedisJobQueue)queue);
}
