namespace Switchboard;

/// <summary>
/// Calls signals from C# anywhere: a request, a handler, a worker, a console process. Resolve it from DI.
/// </summary>
public interface ISignals
{
    /// <summary>
    /// Calls <paramref name="signal"/> (DjangoFloor's <c>call</c>).
    /// </summary>
    /// <param name="window">The calling window: an <c>HttpContext</c>, a <see cref="WindowInfo"/>, or null (then
    /// <see cref="Destination.Window"/> and <see cref="Destination.User"/> address nobody).</param>
    /// <param name="signal">The signal name.</param>
    /// <param name="to">Destinations: <see cref="Destination.Server"/>, <see cref="Destination.Window"/>,
    /// <see cref="Destination.User"/>, <see cref="Destination.Broadcast"/>, or any topic value. Null means
    /// <see cref="Destination.User"/>.</param>
    /// <param name="kwargs">Keyword arguments: an anonymous object, a dictionary or a <c>JsonObject</c>; must serialize to a JSON object.</param>
    /// <param name="countdown">Delay before server handlers run and browsers receive the signal.</param>
    /// <param name="expires">Drop the server jobs and delayed browser messages that could not start by then.</param>
    /// <param name="eta">Absolute time before which nothing happens; exclusive with <paramref name="countdown"/>.</param>
    /// <param name="cancellationToken">Cancels the dispatch (not the jobs once queued).</param>
    /// <returns>A task completed once every job is queued and every immediate browser message is handed to the windows and nodes.</returns>
    Task CallAsync(
        object? window,
        string signal,
        IEnumerable<object>? to = null,
        object? kwargs = null,
        TimeSpan? countdown = null,
        DateTimeOffset? expires = null,
        DateTimeOffset? eta = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The short form without delay options (DjangoFloor's <c>scall</c>, df_websockets' <c>trigger</c>).
    /// </summary>
    Task TriggerAsync(object? window, string signal, object? kwargs = null, IEnumerable<object>? to = null, CancellationToken cancellationToken = default);
}
