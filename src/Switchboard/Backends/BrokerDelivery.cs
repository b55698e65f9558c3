namespace Switchboard;

/// <summary>
/// A browser message as the broker hands it to a node: the topics it was sent to, its position in each, and its body
/// (the JSON members <c>"signal":…,"opts":…,"signal_id":…</c> without braces).
/// </summary>
public sealed class BrokerDelivery
{
    /// <summary>Creates a delivery; <paramref name="positions"/> are aligned with <paramref name="topics"/>.</summary>
    public BrokerDelivery(IReadOnlyList<string> topics, IReadOnlyList<TopicPosition> positions, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(positions);
        if (topics.Count != positions.Count)
        {
            throw new ArgumentException("There must be one position per topic.", nameof(positions));
        }
        Topics = topics;
        Positions = positions;
        Body = body;
    }

    /// <summary>The topics of the message.</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <summary>The message's position in each topic.</summary>
    public IReadOnlyList<TopicPosition> Positions { get; }

    /// <summary>The message body.</summary>
    public ReadOnlyMemory<byte> Body { get; }
}
