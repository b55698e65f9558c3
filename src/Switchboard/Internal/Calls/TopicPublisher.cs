using Microsoft.Extensions.Logging;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Calls;

/// <summary>
/// Sends message bodies to topics through the broker, which sequences them and hands them back to every subscribed
/// node — this one included — in order; <see cref="OnBrokerMessageAsync"/> then writes the frame once and gives it to
/// this node's windows through <see cref="ILocalWindowDelivery"/>. When the broker fails (Redis down), local windows
/// still get the message, unsequenced.
/// </summary>
internal sealed partial class TopicPublisher(ILocalWindowDelivery windows, IBroker broker, ILogger<TopicPublisher> logger)
{
    /// <summary>Subscribes to the broker: from now on every sequenced message reaches this node's windows.</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken) => broker.StartAsync(OnBrokerMessageAsync, cancellationToken);

    public async ValueTask PublishAsync(IReadOnlyList<string> topics, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            await broker.PublishAsync(topics, body, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBrokerPublishFailed(logger, topics.Count > 0 ? topics[0] : "", e);
            if (WindowCommand.IsCommand(body))
            {
                ApplyCommand(topics, null, body);
                return;
            }
            windows.Deliver(topics, FrameWriter.Unsequenced(body));
        }
    }

    private ValueTask OnBrokerMessageAsync(BrokerDelivery delivery)
    {
        if (WindowCommand.IsCommand(delivery.Body.Span))
        {
            // A change of windows (IWindowControl): its body names topic keys and is never forwarded as it is.
            ApplyCommand(delivery.Topics, delivery.Positions, delivery.Body.Span);
            return ValueTask.CompletedTask;
        }
        windows.Deliver(delivery.Topics, FrameWriter.Sequenced(delivery.Body.Span, delivery.Topics, delivery.Positions));
        return ValueTask.CompletedTask;
    }

    private void ApplyCommand(IReadOnlyList<string> topics, IReadOnlyList<TopicPosition>? positions, ReadOnlySpan<byte> body)
    {
        WindowCommand command;
        try
        {
            command = WindowCommand.Parse(body);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            LogBadCommand(logger, topics.Count > 0 ? topics[0] : "", e);
            return;
        }
        for (var i = 0; i < topics.Count; i++)
        {
            windows.Apply(topics[i], positions?[i], command);
        }
    }

    [LoggerMessage(EventId = 1203, EventName = "BadWindowCommand", Level = LogLevel.Error,
        Message = "A window command published to topic {Topic} could not be read; it was ignored.")]
    private static partial void LogBadCommand(ILogger logger, string topic, Exception exception);

    [LoggerMessage(EventId = 1201, EventName = "BrokerPublishFailed", Level = LogLevel.Error,
        Message = "Publishing to topic {Topic} (and the message's other topics) through the broker failed; this node's windows got it unsequenced, other nodes' windows miss it.")]
    private static partial void LogBrokerPublishFailed(ILogger logger, string topic, Exception exception);
}
