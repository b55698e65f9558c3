namespace Switchboard;

/// <summary>
/// Seam: ordered fan-out of browser-bound messages between nodes, with a per-topic history. Publishing gives the message
/// the next position of each of its topics, keeps it in each topic's history, and delivers it to every node subscribed
/// to any of its topics — the publishing node included, once — in position order per topic. A node subscribes to a
/// topic when its first local window needs it and unsubscribes after the last. Topics are literal strings, never
/// patterns. Local fan-out to windows is Switchboard's job, not the broker's. Every implementation passes
/// <c>BrokerConformanceTests</c>.
/// </summary>
public interface IBroker
{
    /// <summary>Starts receiving; <paramref name="handler"/> gets every message for the subscribed topics.</summary>
    ValueTask StartAsync(BrokerMessageHandler handler, CancellationToken cancellationToken);

    /// <summary>Receives messages published to <paramref name="topic"/> from now on.</summary>
    ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken);

    /// <summary>Stops receiving messages for <paramref name="topic"/>.</summary>
    ValueTask UnsubscribeAsync(string topic, CancellationToken cancellationToken);

    /// <summary>
    /// Sequences <paramref name="body"/> in each of <paramref name="topics"/>, records it and delivers it. The broker may keep
    /// <paramref name="body"/> without copying it: the caller hands it over and never changes it afterwards.
    /// </summary>
    ValueTask PublishAsync(IReadOnlyList<string> topics, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>The current position of <paramref name="topic"/> (starting its epoch if it has none).</summary>
    ValueTask<TopicPosition> GetPositionAsync(string topic, CancellationToken cancellationToken);

    /// <summary>The messages of <paramref name="topic"/> after <paramref name="after"/>, at most <paramref name="maxCount"/>.</summary>
    ValueTask<HistoryRead> ReadAsync(string topic, TopicPosition after, int maxCount, CancellationToken cancellationToken);
}
