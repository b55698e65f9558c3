namespace Switchboard;

/// <summary>
/// Seam: carries browser-bound messages between nodes. It never delivers to this node's own windows (local fan-out
/// is Switchboard's job, not the broker's) and it never delivers a node's own messages back to it. A node subscribes
/// to a topic when its first local window needs it and unsubscribes after the last. Topics are literal strings,
/// never patterns. Every implementation passes <c>BrokerConformanceTests</c>.
/// </summary>
public interface IBroker
{
    /// <summary>Starts receiving; <paramref name="handler"/> gets every message for the subscribed topics.</summary>
    ValueTask StartAsync(BrokerMessageHandler handler, CancellationToken cancellationToken);

    /// <summary>Receives messages published to <paramref name="topic"/> by other nodes from now on.</summary>
    ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken);

    /// <summary>Stops receiving messages for <paramref name="topic"/>.</summary>
    ValueTask UnsubscribeAsync(string topic, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="payload"/> to the other nodes subscribed to <paramref name="topic"/>.</summary>
    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
