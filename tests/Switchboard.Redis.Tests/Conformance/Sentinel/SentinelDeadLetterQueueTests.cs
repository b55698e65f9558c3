namespace Switchboard.Redis.Tests.Conformance.Sentinel;

/// <summary>
/// The dead-letter contract through Sentinel (<see cref="RedisDeadLetterQueueConformance{TFixture}"/>).
/// </summary>
[SentinelTests]
public sealed class SentinelDeadLetterQueueTests(SentinelFixture redis) : RedisDeadLetterQueueConformance<SentinelFixture>(redis);
