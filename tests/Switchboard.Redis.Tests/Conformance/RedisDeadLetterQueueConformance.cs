using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// <see cref="RedisJobQueue"/>'s dead letters against the dead-letter contract on the deployment of
/// <typeparamref name="TFixture"/>. The capacity is small (10) so trimming is tested; the stream is trimmed
/// approximately (whole nodes of 100 entries), hence 200 more than the capacity. What only Redis has — a dead letter
/// whose job could not be read — is in <see cref="RedisJobQueueDurabilityTests"/>.
/// </summary>
public abstract class RedisDeadLetterQueueConformance<TFixture>(TFixture redis) : DeadLetterQueueConformanceTests, IClassFixture<TFixture>
    where TFixture : RedisFixture
{
    private readonly RedisQueueProcesses _processes = new();

    protected override int Capacity => 10;

    protected override int DeadLettersBeyondCapacity => 200;

    protected override Task<IJobQueue> CreateQueueAsync() =>
        Task.FromResult<IJobQueue>(_processes.Start(redis.Options(o => o.DeadLetterCapacity = Capacity)));

    protected override async ValueTask DisposeQueueAsync(IJobQueue queue) => await _processes.StopAsync((RedisJobQueue)queue);
}
