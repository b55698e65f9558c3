namespace Switchboard.InMemory;

/// <summary>The in-memory <see cref="IBroker"/>: carries messages between nodes of one <see cref="InMemoryBrokerNetwork"/>.</summary>
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

    public async ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        foreach (var node in network.Nodes)
        {
            if (node != this && node.IsSubscribed(topic) && node._handler is { } handler)
            {
                await handler(topic, payload);
            }
        }
    }

    public void Dispose() => network.Leave(this);

    private bool IsSubscribed(string topic)
    {
        lock (_gate)
        {
            return _topics.Contains(topic);
        }
    }
}
