namespace Switchboard;

/// <summary>Typed shortcut for the built-in browser signal <c>df.notify</c> (docs/builtins.md).</summary>
public static class SignalsNotifyExtensions
{
    /// <summary>
    /// Shows a notification in the targeted windows (default: the calling window). <paramref name="content"/> and
    /// <paramref name="title"/> are shown as text, never as HTML. Styles: <see cref="NotifyStyle.Notification"/> (a toast
    /// at the top right, closed by a click), <see cref="NotifyStyle.Banner"/> (first in <c>#df-messages</c>, or in a
    /// container created at the top of the page), <see cref="NotifyStyle.Modal"/> (the page's modal dialog),
    /// <see cref="NotifyStyle.System"/> (the browser's Notification API, asking permission once; a toast when refused).
    /// </summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="content">The text of the notification.</param>
    /// <param name="title">An optional title.</param>
    /// <param name="level">The level (its colour; <see cref="NotifyLevel.Danger"/> and <see cref="NotifyLevel.Warning"/> are
    /// announced at once by screen readers). <value>The default is <see cref="NotifyLevel.Info"/>.</value></param>
    /// <param name="style">The style. <value>The default is <see cref="NotifyStyle.Notification"/>.</value></param>
    /// <param name="timeout">How long it stays; <see cref="TimeSpan.Zero"/> keeps it until closed. <value>The default is 5 seconds.</value></param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
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
        ArgumentNullException.ThrowIfNull(content);
        var ms = (timeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfNegative(ms, nameof(timeout));
        var kwargs = new Dictionary<string, object?>
        {
            ["content"] = content,
            ["level"] = LevelName(level),
            ["style"] = StyleName(style),
            ["timeout"] = (long)Math.Round(ms),
        };
        if (!string.IsNullOrEmpty(title))
        {
            kwargs["title"] = title;
        }
        return SignalsHtmlExtensions.Send(signals, window, BuiltinSignals.Notify, kwargs, to, cancellationToken);
    }

    /// <summary>The wire name of a level (<c>default</c>, <c>info</c>, <c>success</c>, <c>danger</c>, <c>warning</c>).</summary>
    public static string LevelName(NotifyLevel level) => level switch
    {
        NotifyLevel.Default => "default",
        NotifyLevel.Info => "info",
        NotifyLevel.Success => "success",
        NotifyLevel.Danger => "danger",
        NotifyLevel.Warning => "warning",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown notification level."),
    };

    /// <summary>The wire name of a style (<c>notification</c>, <c>banner</c>, <c>modal</c>, <c>system</c>).</summary>
    public static string StyleName(NotifyStyle style) => style switch
    {
        NotifyStyle.Notification => "notification",
        NotifyStyle.Banner => "banner",
        NotifyStyle.Modal => "modal",
        NotifyStyle.System => "system",
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, "Unknown notification style."),
    };
}
