using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Switchboard.Internal.Diagnostics;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Calls;

/// <summary>
/// Sends message bodies to topics through the broker, which sequences them and hands them back to every subscribed
/// node — this one included — in order; <see cref="OnBrokerMessageAsync"/> then writes the frame once and gives it to
/// this node's windows through <see cref="ILocalWindowDelivery"/>. When the broker fails (Redis down), local windows
/// still get the message, unsequenced. Traced and measured (docs/operations.md) only while someone listens.
/// </summary>
internal sealed partial class TopicPublisher(
    ILocalWindowDelivery windows, IBroker broker, ILogger<TopicPublisher> logger, SwitchboardMetrics? metrics = null)
{
    private readonly PublishClock _clock = new();

    /// <summary>Subscribes to the broker: from now on every sequenced message reaches this node's windows.</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken) => broker.StartAsync(OnBrokerMessageAsync, cancellationToken);

    public ValueTask PublishAsync(IReadOnlyList<string> topics, byte[] body, CancellationToken cancellationToken) =>
        IsObserved() ? PublishObservedAsync(topics, body, cancellationToken) : PublishCoreAsync(topics, body, cancellationToken);

    private bool IsObserved() => metrics is not null && PublishClock.IsActive(metrics);

    /// <summary>A publish someone listens to: in a span, its time and span kept for the local delivery.</summary>
    private async ValueTask PublishObservedAsync(IReadOnlyList<string> topics, byte[] body, CancellationToken cancellationToken)
    {
        using var activity = SwitchboardActivities.StartPublish(topics.Count, body.Length);
        if (SignalId.TryGetLocalNumber(body, out var number))
        {
            _clock.Published(number, Activity.Current?.Context ?? default);
        }
        await PublishCoreAsync(topics, body, cancellationToken);
    }

    private async ValueTask PublishCoreAsync(IReadOnlyList<string> topics, byte[] body, CancellationToken cancellationToken)
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
            Deliver(topics, FrameWriter.Unsequenced(body), body);
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
        Deliver(delivery.Topics, FrameWriter.Sequenced(delivery.Body.Span, delivery.Topics, delivery.Positions), delivery.Body.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Hands a frame to this node's windows; counted, and timed and traced (once per message) while observed.</summary>
    private void Deliver(IReadOnlyList<string> topics, byte[] frame, ReadOnlySpan<byte> body)
    {
        if (!IsObserved())
        {
            var windowCount = windows.Deliver(topics, frame);
            metrics?.Deliveries(windowCount);
            return;
        }
        var published = 0L;
        ActivityContext parent = default;
        var known = SignalId.TryGetLocalNumber(body, out var number) && _clock.TryTake(number, out published, out parent);
        using var activity = SwitchboardActivities.StartDeliver(parent, topics.Count);
        var count = windows.Deliver(topics, frame);
        metrics!.Deliveries(count);
        activity?.SetTag("switchboard.windows", count);
        if (known && metrics.DeliveryDurationEnabled)
        {
            metrics.Delivered(published);
        }
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
