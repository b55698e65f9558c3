namespace Switchboard.Redis.Tests.Conformance.Sentinel;

/// <summary>
/// The presence store contract through Sentinel (<see cref="RedisPresenceStoreConformance{TFixture}"/>).
/// </summary>
[SentinelTests]
public sealed class SentinelPresenceStoreTests(SentinelFixture redis) : RedisPresenceStoreConformance<SentinelFixture>(redis);
