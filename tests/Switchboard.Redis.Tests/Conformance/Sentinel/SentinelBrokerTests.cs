namespace Switchboard.Redis.Tests.Conformance.Sentinel;

/// <summary>
/// <see cref="Internal.RedisBroker"/> passes the broker contract when every node connects through Sentinel (Sentinel
/// endpoints and <c>serviceName</c>): each node's multiplexer finds the master by asking Sentinel.
/// </summary>
[SentinelTests]
public sealed class SentinelBrokerTests(SentinelFixture redis) : BrokerConformanceTests, IClassFixture<SentinelFixture>
{
    private readonly RedisBrokerNodes _nodes = new();

    protected override Task<IBroker[]> CreateNodesAsync(int count) =>
        Task.FromResult(Enumerable.Range(0, count).Select(_ => _nodes.Create(redis.Options(), new SwitchboardOptions { History = History })).ToArray());

    protected override ValueTask DisposeNodeAsync(IBroker node) => _nodes.StopAsync(node);
}
