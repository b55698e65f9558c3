namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// The topic store contract on one redis-server (<see cref="RedisTopicStoreConformance{TFixture}"/>).
/// </summary>
public sealed class RedisTopicStoreTests(RedisFixture redis) : RedisTopicStoreConformance<RedisFixture>(redis);
