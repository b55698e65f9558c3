using System.Threading.Channels;

namespace Switchboard.Internal.Presence;

/// <summary>
/// The <see cref="IWindowObserver"/>: queues the registry's events for <see cref="PresenceTracker"/>'s loop, and drops
/// them at once while nothing is tracked (no topic with presence, no lifecycle handler). Apart from the tracker so the
/// registry does not depend on what the tracker uses (the publisher delivers through the registry).
/// </summary>
internal sealed class PresenceEvents(PresenceTopics topics) : IWindowObserver
{
    private readonly Channel<PresenceEvent> _events = Channel.CreateUnbounded<PresenceEvent>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _sockets;

    public ChannelReader<PresenceEvent> Reader => _events.Reader;

    /// <summary>Set by the tracker when it starts: whether sockets are tracked (for presence or the lifecycle).</summary>
    public void Track(bool sockets) => _sockets = sockets;

    public void Refresh() => _events.Writer.TryWrite(PresenceEvent.Refresh);

    public void Complete() => _events.Writer.TryComplete();

    public void Opened(object socket, WindowInfo window)
    {
        if (_sockets)
        {
            _events.Writer.TryWrite(new PresenceEvent(PresenceEventKind.Opened, socket, window, null));
        }
    }

    public void Joined(object socket, WindowInfo window, string topic)
    {
        if (_sockets && topics.Any && topics.IsEnabled(topic))
        {
            _events.Writer.TryWrite(new PresenceEvent(PresenceEventKind.Joined, socket, window, topic));
        }
    }

    public void Left(object socket, WindowInfo window, string topic)
    {
        if (_sockets && topics.Any && topics.IsEnabled(topic))
        {
            _events.Writer.TryWrite(new PresenceEvent(PresenceEventKind.Left, socket, window, topic));
        }
    }

    public void Closed(object socket, WindowInfo window)
    {
        if (_sockets)
        {
            _events.Writer.TryWrite(new PresenceEvent(PresenceEventKind.Closed, socket, window, null));
        }
    }
}
