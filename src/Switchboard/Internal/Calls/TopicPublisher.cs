using Microsoft.Extensions.Logging;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Calls;

/// <summary>
/// Sends message bodies to topics through the broker, which sequences them and hands them back to every subscribed
/// node — this one included — in order; <see cref="OnBrokerMessageAsync"/> then writes the frame once and queues it
/// to each local window once, however many of its topics the message targets. When the broker fails (Redis down),
/// local windows still get the message, unsequenced.
/// </summary>
internal sealed partial class TopicPublisher(LocalTopicRegistry registry, IBroker broker, ILogger<TopicPublisher> logger)
{
    public async ValueTask PublishAsync(IReadOnlyList<string> topics, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            await broker.PublishAsync(topics, body, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBrokerPublishFailed(logger, topics.Count > 0 ? topics[0] : "", e);
            DeliverLocal(topics, FrameWriter.Unsequenced(body));
        }
    }

    public ValueTask OnBrokerMessageAsync(BrokerDelivery delivery)
    {
        var frame = FrameWriter.Sequenced(delivery.Body.Span, delivery.Topics, delivery.Positions);
        DeliverLocal(delivery.Topics, frame);
        return ValueTask.CompletedTask;
    }

    private void DeliverLocal(IReadOnlyList<string> topics, byte[] frame)
    {
        if (topics.Count == 1)
        {
            var windows = registry.Get(topics[0]);
            // One window (WINDOW, most USER topics): written on this thread. Many: each window's write goes to the
            // thread pool, so fan-out uses every core and the publisher is free for the next message.
            var fanOut = windows.Length > 1;
            foreach (var window in windows)
            {
                Send(window, frame, fanOut);
            }
            return;
        }
        HashSet<WindowConnection>? seen = null;
        foreach (var topic in topics)
        {
            var windows = registry.Get(topic);
            if (windows.Length == 0)
            {
                continue;
            }
            seen ??= [];
            foreach (var window in windows)
            {
                if (seen.Add(window))
                {
                    Send(window, frame, fanOut: true);
                }
            }
        }
    }

    private void Send(WindowConnection window, byte[] frame, bool fanOut)
    {
        if (!window.TrySend(frame, fanOut))
        {
            LogSlowWindow(logger, window.Window.WindowKey);
        }
    }

    [LoggerMessage(EventId = 1201, EventName = "BrokerPublishFailed", Level = LogLevel.Error,
        Message = "Publishing to topic {Topic} (and the message's other topics) through the broker failed; this node's windows got it unsequenced, other nodes' windows miss it.")]
    private static partial void LogBrokerPublishFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(EventId = 1202, EventName = "SlowWindow", Level = LogLevel.Warning,
        Message = "Window {WindowKey} does not read fast enough: its send queue is full and it is being disconnected.")]
    private static partial void LogSlowWindow(ILogger logger, string? windowKey);
}
