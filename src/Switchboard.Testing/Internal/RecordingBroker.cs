using Switchboard.Internal.Protocol;

namespace Switchboard.Testing.Internal;

/// <summary>
/// The app's broker with a capture in front: every browser-bound message is recorded as it is published, then passed on
/// unchanged. Window commands (IWindowControl) are server-internal and not browser messages: they are passed on only.
/// </summary>
internal sealed class RecordingBroker(IBroker inner, MessageCapture capture) : IBroker
{
    public IBroker Inner => inner;

    public ValueTask StartAsync(BrokerMessageHandler handler, CancellationToken cancellationToken) => inner.StartAsync(handler, cancellationToken);

    public ValueTask SubscribeAsync(string topic, CancellationToken cancellationToken) => inner.SubscribeAsync(topic, cancellationToken);

    public ValueTask UnsubscribeAsync(string topic, CancellationToken cancellationToken) => inner.UnsubscribeAsync(topic, cancellationToken);

    public ValueTask PublishAsync(IReadOnlyList<string> topics, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (!WindowCommand.IsCommand(body.Span))
        {
            capture.Record(topics, body.Span);
        }
        return inner.PublishAsync(topics, body, cancellationToken);
    }

    public ValueTask<TopicPosition> GetPositionAsync(string topic, CancellationToken cancellationToken) => inner.GetPositionAsync(topic, cancellationToken);

    public ValueTask<HistoryRead> ReadAsync(string topic, TopicPosition after, int maxCount, CancellationToken cancellationToken) =>
        inner.ReadAsync(topic, after, maxCount, cancellationToken);
}
