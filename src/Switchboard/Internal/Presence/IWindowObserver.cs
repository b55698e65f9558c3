namespace Switchboard.Internal.Presence;

/// <summary>
/// What the node's topic registry tells about its windows, in order per socket: a socket opened (after joining its
/// first topics), joined or left one topic (at connect, at close, or a live change), closed (after leaving them all).
/// Calls must return at once: the implementation queues them.
/// </summary>
internal interface IWindowObserver
{
    void Opened(object socket, WindowInfo window);

    void Joined(object socket, WindowInfo window, string topic);

    void Left(object socket, WindowInfo window, string topic);

    void Closed(object socket, WindowInfo window);
}
