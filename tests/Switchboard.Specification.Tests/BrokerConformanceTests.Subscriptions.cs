namespace Switchboard.Specification.Tests;

// The broker contract's subscription checks (who receives a topic, unsubscribe, literal topic names), in a file of their
// own; the delivery, ordering and history checks and the node helpers are in BrokerConformanceTests.cs.
public abstract partial class BrokerConformanceTests
{
    [Fact]
    public async Task NodeNotSubscribedToTopicDoesNotReceiveIt()
    {
        var nodes = await StartNodesAsync(3);
        var (a, b, c) = (nodes[0], nodes[1], nodes[2]);
        var topic = NewTopic("other");
        var marker = NewTopic("marker");
        await b.Broker.SubscribeAsync(marker, default).DefaultTimeout();
        await c.Broker.SubscribeAsync(topic, default).DefaultTimeout();

        await Publish(a, topic, "not-for-b");
        await Publish(a, marker, "marker");

        await c.Received.WaitForAsync(topic, "not-for-b");
        await b.Received.WaitForAsync(marker, "marker");
        Assert.DoesNotContain(b.Received.Messages, m => m.Topic == topic);
    }

    [Fact]
    public async Task UnsubscribedNodeStopsReceivingTheTopic()
    {
        var (a, b) = await StartPairAsync();
        var topic = NewTopic("unsub");
        var marker = NewTopic("marker");
        await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();
        await b.Broker.SubscribeAsync(marker, default).DefaultTimeout();
        await Publish(a, topic, "before");
        await b.Received.WaitForAsync(topic, "before");

        await b.Broker.UnsubscribeAsync(topic, default).DefaultTimeout();
        await Publish(a, topic, "after");
        await Publish(a, marker, "marker");

        await b.Received.WaitForAsync(marker, "marker");
        Assert.DoesNotContain(b.Received.Messages, m => m.Text == "after");
    }

    [Fact]
    public async Task ResubscribingAfterUnsubscribeReceivesAgain()
    {
        var (a, b) = await StartPairAsync();
        var topic = NewTopic("resub");
        await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();
        await b.Broker.UnsubscribeAsync(topic, default).DefaultTimeout();
        await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();

        await Publish(a, topic, "again");

        await b.Received.WaitForAsync(topic, "again");
    }

    [Fact]
    public async Task SubscribingTwiceDeliversOnceAndOneUnsubscribeStopsDelivery()
    {
        var (a, b) = await StartPairAsync();
        var topic = NewTopic("twice");
        var marker = NewTopic("marker");
        await b.Broker.SubscribeAsync(marker, default).DefaultTimeout();
        await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();
        await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();

        await Publish(a, topic, "once");
        await Publish(a, marker, "marker-1");
        await b.Received.WaitForAsync(marker, "marker-1");
        Assert.Single(b.Received.Messages, m => m.Text == "once");

        await b.Broker.UnsubscribeAsync(topic, default).DefaultTimeout();
        await Publish(a, topic, "after-unsubscribe");
        await Publish(a, marker, "marker-2");
        await b.Received.WaitForAsync(marker, "marker-2");
        Assert.DoesNotContain(b.Received.Messages, m => m.Text == "after-unsubscribe");
    }

    [Fact]
    public async Task UnsubscribingFromTopicNeverSubscribedIsHarmless()
    {
        var (a, b) = await StartPairAsync();
        var topic = NewTopic("kept");
        await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();

        await b.Broker.UnsubscribeAsync(NewTopic("never"), default).DefaultTimeout();
        await Publish(a, topic, "still-here");

        await b.Received.WaitForAsync(topic, "still-here");
    }

    [Theory]
    [InlineData("a*", "ab")]
    [InlineData("a?", "ab")]
    [InlineData("[a]b", "ab")]
    [InlineData("a.*", "a.b")]
    [InlineData("*", "x")]
    [InlineData("a\\*", "a*")]
    public async Task TopicsAreLiteralNeverPatterns(string subscribed, string published)
    {
        var (a, b) = await StartPairAsync();
        var prefix = NewTopic("literal") + ".";
        await b.Broker.SubscribeAsync(prefix + subscribed, default).DefaultTimeout();

        await Publish(a, prefix + published, "pattern-match");
        await Publish(a, prefix + subscribed, "literal-match");

        await b.Received.WaitForAsync(prefix + subscribed, "literal-match");
        Assert.DoesNotContain(b.Received.Messages, m => m.Text == "pattern-match");
    }

    [Fact]
    public async Task TopicWithAnyCharactersIsCarriedUnchanged()
    {
        var (a, b) = await StartPairAsync();
        var topic = NewTopic("chars") + ".caf\u00e9 \u4e16\u754c|x:y/\"q\"\u00a0-";
        await b.Broker.SubscribeAsync(topic, default).DefaultTimeout();

        await Publish(a, topic, "unicode");

        var received = await b.Received.WaitForAsync(topic, "unicode");
        Assert.Equal(topic, received.Topic);
    }
}
