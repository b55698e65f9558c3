namespace Switchboard.Redis.Tests.Conformance.Sentinel;

/// <summary>The topic store contract through Sentinel (<see cref="RedisTopicStoreConformance{TFixture}"/>).</summary>
[SentinelTests]
public sealed class SentinelTopicStoreTests(SentinelFixture redis) : RedisTopicStoreConformance<SentinelFixture>(redis);
