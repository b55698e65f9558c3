namespace Switchboard.Redis.Tests.Conformance;

/// <summary>The broker contract on one redis-server (<see cref="RedisBrokerConformance{TFixture}"/>).</summary>
public sealed class RedisBrokerTests(RedisFixture redis) : RedisBrokerConformance<RedisFixture>(redis);
