namespace Switchboard;

// The html.* effects: fades, shows, hides and toggles, animated over a duration (see SignalsHtmlExtensions.cs).
public static partial class SignalsHtmlExtensions
{
    /// <summary>The duration of fades and animated shows/hides when none is given (DjangoFloor's 400 ms).</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromMilliseconds(400);

    /// <summary>Shows each element matching <paramref name="selector"/> by fading it in (<c>html.fade_in</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="duration">Animation length. <value>The default is <see cref="DefaultDuration"/> (400 ms).</value></param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlFadeInAsync(this ISignals signals, object? window, string selector, TimeSpan? duration = null, IEnumerable<object>? to = null, CancellationToken cancellationToken = default) =>
        Animate(signals, window, BuiltinSignals.HtmlFadeIn, selector, duration, null, null, to, cancellationToken);

    /// <summary>Hides each element matching <paramref name="selector"/> by fading it out (<c>html.fade_out</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="duration">Animation length. <value>The default is <see cref="DefaultDuration"/> (400 ms).</value></param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlFadeOutAsync(this ISignals signals, object? window, string selector, TimeSpan? duration = null, IEnumerable<object>? to = null, CancellationToken cancellationToken = default) =>
        Animate(signals, window, BuiltinSignals.HtmlFadeOut, selector, duration, null, null, to, cancellationToken);

    /// <summary>Fades each element matching <paramref name="selector"/> to <paramref name="opacity"/> (<c>html.fade_to</c>); a
    /// hidden element is shown first.</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="opacity">The final opacity, from 0 to 1.</param>
    /// <param name="duration">Animation length. <value>The default is <see cref="DefaultDuration"/> (400 ms).</value></param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlFadeToAsync(this ISignals signals, object? window, string selector, double opacity, TimeSpan? duration = null, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(opacity, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opacity, 1);
        return Animate(signals, window, BuiltinSignals.HtmlFadeTo, selector, duration, null, opacity, to, cancellationToken);
    }

    /// <summary>Fades each element matching <paramref name="selector"/> in if it is hidden, out otherwise (<c>html.fade_toggle</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="duration">Animation length. <value>The default is <see cref="DefaultDuration"/> (400 ms).</value></param>
    /// <param name="easing">jQuery's <c>swing</c> or <c>linear</c>, or a CSS easing (<c>ease-in</c>, <c>cubic-bezier(...)</c>). <value>The default is <c>swing</c>.</value></param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlFadeToggleAsync(this ISignals signals, object? window, string selector, TimeSpan? duration = null, string easing = "swing", IEnumerable<object>? to = null, CancellationToken cancellationToken = default) =>
        Animate(signals, window, BuiltinSignals.HtmlFadeToggle, selector, duration, easing, null, to, cancellationToken);

    /// <summary>Hides each element matching <paramref name="selector"/> (<c>html.hide</c>): fades it out over
    /// <paramref name="duration"/>, then sets <c>display: none</c>.</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="duration">Animation length; <see cref="TimeSpan.Zero"/> hides at once. <value>The default is <see cref="DefaultDuration"/> (400 ms).</value></param>
    /// <param name="easing">jQuery's <c>swing</c> or <c>linear</c>, or a CSS easing. <value>The default is <c>swing</c>.</value></param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlHideAsync(this ISignals signals, object? window, string selector, TimeSpan? duration = null, string easing = "swing", IEnumerable<object>? to = null, CancellationToken cancellationToken = default) =>
        Animate(signals, window, BuiltinSignals.HtmlHide, selector, duration, easing, null, to, cancellationToken);

    /// <summary>Shows each element matching <paramref name="selector"/> (<c>html.show</c>): restores its display (the one it
    /// had before it was hidden, else the stylesheet's, else <c>block</c>) and fades it in over <paramref name="duration"/>.</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="duration">Animation length; <see cref="TimeSpan.Zero"/> shows at once. <value>The default is <see cref="DefaultDuration"/> (400 ms).</value></param>
    /// <param name="easing">jQuery's <c>swing</c> or <c>linear</c>, or a CSS easing. <value>The default is <c>swing</c>.</value></param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlShowAsync(this ISignals signals, object? window, string selector, TimeSpan? duration = null, string easing = "swing", IEnumerable<object>? to = null, CancellationToken cancellationToken = default) =>
        Animate(signals, window, BuiltinSignals.HtmlShow, selector, duration, easing, null, to, cancellationToken);

    /// <summary>Shows each element matching <paramref name="selector"/> if it is hidden, hides it otherwise (<c>html.toggle</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="duration">Animation length. <value>The default is <see cref="DefaultDuration"/> (400 ms).</value></param>
    /// <param name="easing">jQuery's <c>swing</c> or <c>linear</c>, or a CSS easing. <value>The default is <c>swing</c>.</value></param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlToggleAsync(this ISignals signals, object? window, string selector, TimeSpan? duration = null, string easing = "swing", IEnumerable<object>? to = null, CancellationToken cancellationToken = default) =>
        Animate(signals, window, BuiltinSignals.HtmlToggle, selector, duration, easing, null, to, cancellationToken);

    private static Task Animate(ISignals signals, object? window, string signal, string selector, TimeSpan? duration, string? easing, double? opacity, IEnumerable<object>? to, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        var ms = (duration ?? DefaultDuration).TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfNegative(ms, nameof(duration));
        var kwargs = new Dictionary<string, object?> { ["selector"] = selector, ["duration"] = (long)Math.Round(ms) };
        if (opacity is { } o)
        {
            kwargs["opacity"] = o;
        }
        if (easing is not null)
        {
            kwargs["easing"] = easing;
        }
        return Send(signals, window, signal, kwargs, to, cancellationToken);
    }
}
