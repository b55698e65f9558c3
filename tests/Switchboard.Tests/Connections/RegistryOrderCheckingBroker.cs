namespace Switchboard.Tests.Connections;

/// <summary>
/// A fake broker for <c>LocalTopicRegistry</c> tests: it records each topic's subscribe/unsubscribe order and flags
/// any violation of "one operation at a time per topic, alternating subscribe and unsubscribe". Operations yield (so
/// concurrent joins really interleave), can be held by the test and can fail on demand.
/// </summary>
internal sealed class RegistryOrderCheckingBroker : IBroker
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);

    /// <summary>Decides per subscribe attempt whether it fails (the topic); null: never.</summary>
    public Func<string, bool>? FailSubscribe { get; set; }

    /// <summary>Returns a task the operation ('+' subscribe, '-' unsubscribe) of a topic awaits first; null: none.</summary>
    public Func<string, char, Task?>? Hold { get; set; }

    public List<string> Violations { get; } = [];

    public bool IsSubscribed(string topic)
    {
        lock (_gate)
        {
            return _topics.TryGetValue(topic, out var state) && state.Subscribed;
        }
    }

    /// <summary>Completed operations of <paramref name="topic"/>: '+', '-', or 'x' for a failed subscribe.</summary>
    public string Operations(string topic)
    {
        lock (_gate)
        {
            return _topics.TryGetValue(topic, out var state) ? state.Operations.ToString() : "";
        }
    }

    public string[] SubscribedTopics()
    {
        lock (_gate)
        {
            return [.. _topics.Where(t => t.Value.Subscribed).Select(t => t.Key).Order(StringComparer.Ordinal)];
        }
    }

    public ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken) => ChangeAsync(topic, '+', cancellationToken);

    public ValueTask UnsubscribeAsync(string topic, CancellationToken cancellationToken) => ChangeAsync(topic, '-', cancellationToken);

    private async ValueTask ChangeAsync(string topic, char operation, CancellationToken cancellationToken)
    {
        TopicState state;
        lock (_gate)
        {
            if (!_topics.TryGetValue(topic, out state!))
            {
                _topics[topic] = state = new TopicState();
            }
            if (state.InFlight++ > 0)
            {
                Violations.Add($"{topic}: '{operation}' started while another operation was in flight");
            }
            if (state.Subscribed == (operation == '+'))
            {
                Violations.Add($"{topic}: '{operation}' while {(state.Subscribed ? "subscribed" : "not subscribed")}");
            }
        }
        var fail = false;
        try
        {
            if (Hold?.Invoke(topic, operation) is { } hold)
            {
                await hold;
            }
            await Task.Yield();
            fail = operation == '+' && FailSubscribe?.Invoke(topic) == true;
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch
        {
            fail = true;
            throw;
        }
        finally
        {
            lock (_gate)
            {
                state.InFlight--;
                if (fail)
                {
                    state.Operations.Append('x');
                }
                else
                {
                    state.Subscribed = operation == '+';
                    state.Operations.Append(operation);
                }
            }
        }
        if (fail)
        {
            throw new InvalidOperationException("broker down");
        }
    }

    public ValueTask StartAsync(BrokerMessageHandler handler, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask PublishAsync(IReadOnlyList<string> topics, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public ValueTask<TopicPosition> GetPositionAsync(string topic, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask<HistoryRead> ReadAsync(string topic, TopicPosition after, int maxCount, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    private sealed class TopicState
    {
        public bool Subscribed { get; set; }
        public int InFlight { get; set; }
        public System.Text.StringBuilder Operations { get; } = new();
    }
}
