namespace Switchboard.Internal.InMemory;

/// <summary>The in-memory <see cref="IBroker"/>: one node of an <see cref="InMemoryBrokerNetwork"/>.</summary>
internal sealed class InMemoryBroker(InMemoryBrokerNetwork network) : IBroker, IDisposable
{
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private BrokerMessageHandler? _handler;

    public ValueTask StartAsync(BrokerMessageHandler handler, CancellationToken cancellationToken)
    {
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        network.Join(this);
        return ValueTask.CompletedTask;
    }

    public ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _topics.Add(topic);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask UnsubscribeAsync(string topic, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _topics.Remove(topic);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishAsync(IReadOnlyList<string> topics, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return topics.Count == 0 ? ValueTask.CompletedTask : network.PublishAsync(topics, body);
    }

    public ValueTask<TopicPosition> GetPositionAsync(string topic, CancellationToken cancellationToken) =>
        ValueTask.FromResult(network.GetPosition(topic));

    public ValueTask<HistoryRead> ReadAsync(string topic, TopicPosition after, int maxCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(network.Read(topic, after, maxCount));

    public void Dispose() => network.Leave(this);

    internal bool IsSubscribed(string topic)
    {
        lock (_gate)
        {
            return _topics.Contains(topic);
        }
    }

    internal bool IsSubscribedToAny(IReadOnlyList<string> topics)
    {
        lock (_gate)
        {
            foreach (var topic in topics)
            {
                if (_topics.Contains(topic))
                {
                    return true;
                }
            }
            return false;
        }
    }

    internal ValueTask Deliver(BrokerDelivery delivery) => _handler is { } handler ? handler(delivery) : ValueTask.CompletedTask;
}
