namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// The presence store contract on one redis-server (<see cref="RedisPresenceStoreConformance{TFixture}"/>).
/// </summary>
public sealed class RedisPresenceStoreTests(RedisFixture redis) : RedisPresenceStoreConformance<RedisFixture>(redis);
