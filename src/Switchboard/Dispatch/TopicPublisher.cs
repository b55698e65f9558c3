using Microsoft.Extensions.Logging;
using Switchboard.Connections;

namespace Switchboard.Dispatch;

/// <summary>
/// Delivers a serialized frame to topics: to this node's windows directly (each window once, however many of its
/// topics are targeted) and to other nodes through the broker. Frames from other nodes arrive in
/// <see cref="OnBrokerMessageAsync"/> and go to local windows only.
/// </summary>
internal sealed partial class TopicPublisher(LocalTopicRegistry registry, IBroker broker, ILogger<TopicPublisher> logger)
{
    public async ValueTask PublishAsync(IReadOnlyList<string> topics, byte[] frame, CancellationToken cancellationToken)
    {
        DeliverLocal(topics, frame);
        foreach (var topic in topics)
        {
            try
            {
                await broker.PublishAsync(topic, frame, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogBrokerPublishFailed(logger, topic, e);
                throw;
            }
        }
    }

    public ValueTask OnBrokerMessageAsync(string topic, ReadOnlyMemory<byte> payload)
    {
        var windows = registry.Get(topic);
        if (windows.Length > 0)
        {
            var frame = payload.ToArray();
            foreach (var window in windows)
            {
                Send(window, frame);
            }
        }
        return ValueTask.CompletedTask;
    }

    private void DeliverLocal(IReadOnlyList<string> topics, byte[] frame)
    {
        if (topics.Count == 1)
        {
            foreach (var window in registry.Get(topics[0]))
            {
                Send(window, frame);
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
                    Send(window, frame);
                }
            }
        }
    }

    private void Send(WindowConnection window, byte[] frame)
    {
        if (!window.TrySend(frame))
        {
            LogSlowWindow(logger, window.Window.WindowKey);
        }
    }

    [LoggerMessage(EventId = 1201, EventName = "BrokerPublishFailed", Level = LogLevel.Error,
        Message = "Publishing to topic {Topic} through the broker failed; windows on other nodes miss this message.")]
    private static partial void LogBrokerPublishFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(EventId = 1202, EventName = "SlowWindow", Level = LogLevel.Warning,
        Message = "Window {WindowKey} does not read fast enough: its send queue is full and it is being disconnected.")]
    private static partial void LogSlowWindow(ILogger logger, string? windowKey);
}
