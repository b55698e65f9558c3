namespace Switchboard;

/// <summary>
/// Changes live windows from C# anywhere (a handler, a request, a job, another process with only the backend): the
/// topics a window, or every window of a user, listens to, and closing them. A change reaches the window's sockets on
/// whichever node holds them, in order with the other messages of the window (or user), and is kept in that topic's
/// history so a window that reconnects gets it too. Browsers never choose their topics: only server code does.
/// Resolve it from DI (registered by <c>AddSwitchboard</c>). See docs/windows.md.
/// </summary>
public interface IWindowControl
{
    /// <summary>
    /// Adds <paramref name="topics"/> to <paramref name="window"/>: from the change on, the window receives everything
    /// published to them, including what is published right after this returns. The window's stored topic list is
    /// updated, so a reconnect on any node keeps them.
    /// </summary>
    /// <param name="window">The window (it needs a <see cref="WindowInfo.WindowKey"/>).</param>
    /// <param name="topics">Topic values, serialized by the registered <see cref="ITopicSerializer"/> as in <c>CallAsync</c>.
    /// <see cref="Destination"/> values are refused: every window always has WINDOW, USER and BROADCAST.</param>
    /// <param name="cancellationToken">Cancels the change before it is published.</param>
    /// <exception cref="ArgumentException">No window key, a null or <see cref="Destination"/> topic, or one the serializer cannot write.</exception>
    /// <exception cref="InvalidOperationException">The window would have more than <see cref="SwitchboardOptions.MaxTopicsPerWindow"/> chosen topics.</exception>
    Task SubscribeAsync(WindowInfo window, IEnumerable<object> topics, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes <paramref name="topics"/> from <paramref name="window"/>: once its node has applied the change, nothing
    /// more published to them reaches it. The stored topic list is updated.
    /// </summary>
    Task UnsubscribeAsync(WindowInfo window, IEnumerable<object> topics, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="topics"/> to every window of the user <paramref name="userId"/> (authenticated windows only),
    /// on every node. Windows connected at the time are changed and their stored lists updated; a window disconnected
    /// then gets the change when it reconnects while the user topic's history still holds it (docs/windows.md).
    /// </summary>
    /// <exception cref="InvalidOperationException">More topics than <see cref="SwitchboardOptions.MaxTopicsPerWindow"/>.</exception>
    Task SubscribeUserAsync(string userId, IEnumerable<object> topics, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="topics"/> from every window of the user <paramref name="userId"/>, on every node.</summary>
    Task UnsubscribeUserAsync(string userId, IEnumerable<object> topics, CancellationToken cancellationToken = default);

    /// <summary>
    /// Closes every socket of <paramref name="window"/>, on every node, with close code 4003 (terminal: the JS client
    /// reports it through <c>df.onclose</c> and does not reconnect), after the messages sent to it before.
    /// </summary>
    /// <param name="window">The window (it needs a <see cref="WindowInfo.WindowKey"/>).</param>
    /// <param name="reason">The close reason the browser sees (at most 123 UTF-8 bytes); null: "closed by the server".</param>
    /// <param name="cancellationToken">Cancels the close before it is published.</param>
    Task CloseAsync(WindowInfo window, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Closes every window of the user <paramref name="userId"/> (all tabs, all nodes) with close code 4003, e.g. at sign-out.</summary>
    Task CloseUserAsync(string userId, string? reason = null, CancellationToken cancellationToken = default);
}
