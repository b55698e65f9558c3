using Microsoft.Extensions.Logging;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Delivers published frames to this node's windows: looks the topics up in <see cref="LocalTopicRegistry"/> and
/// queues the frame once per window, however many of its topics the message targets. Window commands (IWindowControl)
/// go to <see cref="WindowMembership"/>, which applies them in order with the window's frames.
/// </summary>
internal sealed partial class LocalWindowDelivery(LocalTopicRegistry registry, WindowMembership membership, ILogger<LocalWindowDelivery> logger) : ILocalWindowDelivery
{
    public int Deliver(IReadOnlyList<string> topics, byte[] frame)
    {
        if (topics.Count == 1)
        {
            var windows = registry.Get(topics[0]);
            // One window (WINDOW, most USER topics): written on this thread. Many: each window's write goes to the
            // thread pool, so fan-out uses every core and the publisher is free for the next message.
            var fanOut = windows.Length > 1;
            foreach (var window in windows)
            {
                Send(window, frame, fanOut, topics[0]);
            }
            return windows.Length;
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
                    Send(window, frame, fanOut: true, topic: null);
                }
            }
        }
        return seen?.Count ?? 0;
    }

    public void Apply(string topic, TopicPosition? position, WindowCommand command)
    {
        foreach (var window in registry.Get(topic))
        {
            membership.Deliver(window, topic, position, command);
        }
    }

    private void Send(WindowConnection window, byte[] frame, bool fanOut, string? topic)
    {
        if (!window.TrySend(frame, fanOut, topic))
        {
            LogSlowWindow(logger, window.Window.WindowKey);
        }
    }

    [LoggerMessage(EventId = 1202, EventName = "SlowWindow", Level = LogLevel.Warning,
        Message = "Window {WindowKey} does not read fast enough: its send queue is full and it is being disconnected.")]
    private static partial void LogSlowWindow(ILogger logger, string? windowKey);
}
