namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// The dead-letter contract on one redis-server (<see cref="RedisDeadLetterQueueConformance{TFixture}"/>).
/// </summary>
public sealed class RedisDeadLetterQueueTests(RedisFixture redis) : RedisDeadLetterQueueConformance<RedisFixture>(redis);
