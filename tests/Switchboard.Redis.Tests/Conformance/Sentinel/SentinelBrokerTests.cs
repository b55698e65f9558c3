namespace Switchboard.Redis.Tests.Conformance.Sentinel;

/// <summary>
/// The broker contract when every node connects through Sentinel (Sentinel endpoints and <c>serviceName</c>): each
/// node's multiplexer finds the master by asking Sentinel (<see cref="RedisBrokerConformance{TFixture}"/>).
/// </summary>
[SentinelTests]
public sealed class SentinelBrokerTests(SentinelFixture redis) : RedisBrokerConformance<SentinelFixture>(redis);
