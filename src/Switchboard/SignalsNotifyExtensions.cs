namespace Switchboard;

/// <summary>Typed shortcut for the built-in browser signal <c>df.notify</c>.</summary>
public static class SignalsNotifyExtensions
{
    /// <summary>Shows a notification in the targeted windows (default: the calling window).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="content">The text of the notification (inserted as text, never HTML).</param>
    /// <param name="title">An optional title.</param>
    /// <param name="level">The level. <value>The default is <see cref="NotifyLevel.Info"/>.</value></param>
    /// <param name="style">The style. <value>The default is <see cref="NotifyStyle.Notification"/>.</value></param>
    /// <param name="timeout">How long it stays; <see cref="TimeSpan.Zero"/> keeps it until dismissed. <value>The default is 5 seconds.</value></param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    public static Task NotifyAsync(
        this ISignals signals,
        object? window,
        string content,
        string? title = null,
        NotifyLevel level = NotifyLevel.Info,
        NotifyStyle style = NotifyStyle.Notification,
        TimeSpan? timeout = null,
        IEnumerable<object>? to = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var kwargs = new
        {
            content,
            title,
            level = level.ToString().ToLowerInvariant(),
            style = style.ToString().ToLowerInvariant(),
            timeout = (long)(timeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds,
        };
        return signals.CallAsync(window, BuiltinSignals.Notify, to ?? [Destination.Window], kwargs, cancellationToken: cancellationToken);
    }
}
