namespace Switchboard.Redis.Tests.Conformance;

/// <summary>The job queue contract on one redis-server (<see cref="RedisJobQueueConformance{TFixture}"/>).</summary>
public sealed class RedisJobQueueTests(RedisFixture redis) : RedisJobQueueConformance<RedisFixture>(redis);
