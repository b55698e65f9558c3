namespace Switchboard.Redis.Tests.Conformance.Sentinel;

/// <summary>
/// The job queue contract through Sentinel: the shared multiplexer and each queue reader's blocking multiplexer both
/// find the master through Sentinel (<see cref="RedisJobQueueConformance{TFixture}"/>).
/// </summary>
[SentinelTests]
public sealed class SentinelJobQueueTests(SentinelFixture redis) : RedisJobQueueConformance<SentinelFixture>(redis);
