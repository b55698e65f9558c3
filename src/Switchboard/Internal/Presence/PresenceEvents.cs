using System.Threading.Channels;
using Switchboard.Internal.Registry;

namespace Switchboard.Internal.Presence;

/// <summary>
/// The <see cref="IWindowObserver"/>: queues the registry's events for <see cref="PresenceTracker"/>'s loop (events of
/// sockets that connect before the loop starts wait for it), and drops them at once when nothing is tracked (no topic
/// with presence, no lifecycle handler). Apart from the tracker so the registry does not depend on what the tracker
/// uses (the publisher delivers through the registry).
/// </summary>
internal sealed class PresenceEvents(PresenceTopics topics, SignalRegistry registry) : IWindowObserver
{
    private readonly Channel<PresenceEvent> _events = Channel.CreateUnbounded<PresenceEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<bool> _lifecycle = new(() =>
        registry.GetHandlers(LifecycleSignals.WindowConnected).Count > 0 || registry.GetHandlers(LifecycleSignals.WindowDisconnected).Count > 0);

    public ChannelReader<PresenceEvent> Reader => _events.Reader;

    /// <summary>Whether a lifecycle signal has a handler in this process: then every socket is counted.</summary>
    public bool Lifecycle => _lifecycle.Value;

    /// <summary>Whether sockets are tracked at all (for presence or for the lifecycle).</summary>
    public bool Active => topics.Any || Lifecycle;

    public void Refresh() => _events.Writer.TryWrite(PresenceEvent.Refresh);

    public void Complete() => _events.Writer.TryComplete();

    public void Opened(object socket, WindowInfo window)
    {
        if (Active)
        {
            _events.Writer.TryWrite(new PresenceEvent(PresenceEventKind.Opened, socket, window, null));
        }
    }

    public void Joined(object socket, WindowInfo window, string topic)
    {
        if (topics.Any && topics.IsEnabled(topic))
        {
            _events.Writer.TryWrite(new PresenceEvent(PresenceEventKind.Joined, socket, window, topic));
        }
    }

    public void Left(object socket, WindowInfo window, string topic)
    {
        if (topics.Any && topics.IsEnabled(topic))
        {
            _events.Writer.TryWrite(new PresenceEvent(PresenceEventKind.Left, socket, window, topic));
        }
    }

    public void Closed(object socket, WindowInfo window)
    {
        if (Active)
        {
            _events.Writer.TryWrite(new PresenceEvent(PresenceEventKind.Closed, socket, window, null));
        }
    }
}
