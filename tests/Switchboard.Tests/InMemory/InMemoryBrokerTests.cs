using Switchboard.Internal.InMemory;
using Switchboard.Specification.Tests;

namespace Switchboard.Tests.InMemory;

public sealed class InMemoryBrokerTests : BrokerConformanceTests
{
    private readonly InMemoryBrokerNetwork _network = new(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions { History = History }));

    protected override Task<IBroker[]> CreateNodesAsync(int count) =>
        Task.FromResult(Enumerable.Range(0, count).Select(_ => (IBroker)new InMemoryBroker(_network)).ToArray());

    [Fact]
    public async Task DisposedNodeLeavesTheNetworkAndReceivesNothing()
    {
        var nodes = await StartNodesAsync(3);
        var topic = NewTopic("left");
        await nodes[1].Broker.SubscribeAsync(topic, default);
        await nodes[2].Broker.SubscribeAsync(topic, default);

        ((IDisposable)nodes[1].Broker).Dispose();
        await nodes[0].Broker.PublishAsync([topic], "after-leave"u8.ToArray(), default).DefaultTimeout();

        await nodes[2].Received.WaitForAsync(topic, "after-leave");
        Assert.Empty(nodes[1].Received.Messages);
    }

    [Fact]
    public async Task NodeStartedTwiceJoinsOnceAndReceivesEachMessageOnce()
    {
        var nodes = await StartNodesAsync(2);
        var topic = NewTopic("twice");
        await nodes[1].Broker.StartAsync(nodes[1].Received.OnMessageAsync, default);
        await nodes[1].Broker.SubscribeAsync(topic, default);

        await nodes[0].Broker.PublishAsync([topic], "once"u8.ToArray(), default).DefaultTimeout();
        await nodes[0].Broker.PublishAsync([topic], "marker"u8.ToArray(), default).DefaultTimeout();

        await nodes[1].Received.WaitForAsync(topic, "marker");
        Assert.Single(nodes[1].Received.Messages, m => m.Text == "once");
    }

    [Fact]
    public async Task NetworksAreSeparate()
    {
        var otherNetwork = new InMemoryBrokerNetwork(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions()));
        var nodes = await StartNodesAsync(2);
        using var outsider = new InMemoryBroker(otherNetwork);
        var outsiderReceived = new BrokerMessageRecorder();
        await outsider.StartAsync(outsiderReceived.OnMessageAsync, default);
        var topic = NewTopic("separate");
        await outsider.SubscribeAsync(topic, default);
        await nodes[1].Broker.SubscribeAsync(topic, default);

        await nodes[0].Broker.PublishAsync([topic], "inside"u8.ToArray(), default).DefaultTimeout();

        await nodes[1].Received.WaitForAsync(topic, "inside");
        Assert.Empty(outsiderReceived.Messages);
    }
}
