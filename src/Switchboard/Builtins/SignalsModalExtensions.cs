using Switchboard.Internal.Registry;
namespace Switchboard;

/// <summary>
/// Typed shortcuts for the built-in browser signals <c>df.modal.show</c> and <c>df.modal.hide</c> (docs/builtins.md):
/// one modal dialog per page (a native <c>&lt;dialog&gt;</c>: focus kept inside, Escape and a backdrop click close it,
/// focus returns where it was). To show a rendered Razor component, see
/// <see cref="ComponentSignals.ModalShowAsync{TComponent}"/>.
/// </summary>
public static class SignalsModalExtensions
{
    /// <summary>
    /// Opens the page's modal dialog with <paramref name="html"/> (<c>df.modal.show</c>); when a modal is open its content is
    /// replaced (and the replaced content's <paramref name="onHide"/> signal runs).
    /// </summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="html">HTML of the content, inserted as markup (scripts in it do not run): encode user data in it. Its
    /// first heading labels the dialog.</param>
    /// <param name="width">A CSS width (<c>40rem</c>, <c>80%</c>). <value>The default is 36rem, at most the viewport.</value></param>
    /// <param name="onHide">A signal the page calls (with <c>df.call</c>) once this content leaves the screen: closed by
    /// <see cref="ModalHideAsync"/>, Escape, the close button or a backdrop click, or replaced. Null for none.</param>
    /// <param name="onHideOptions">The opts of <paramref name="onHide"/> (an anonymous object, a dictionary or a <c>JsonObject</c>).</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task ModalShowAsync(
        this ISignals signals,
        object? window,
        string html,
        string? width = null,
        string? onHide = null,
        object? onHideOptions = null,
        IEnumerable<object>? to = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        var kwargs = new Dictionary<string, object?> { ["html"] = html };
        if (!string.IsNullOrWhiteSpace(width))
        {
            kwargs["width"] = width;
        }
        if (onHide is not null)
        {
            SignalNames.ThrowIfInvalid(onHide, nameof(onHide));
            kwargs["onhide"] = new Dictionary<string, object?> { ["signal"] = onHide, ["options"] = onHideOptions ?? new Dictionary<string, object?>() };
        }
        else if (onHideOptions is not null)
        {
            throw new ArgumentException("onHideOptions needs onHide.", nameof(onHideOptions));
        }
        return SignalsHtmlExtensions.Send(signals, window, BuiltinSignals.ModalShow, kwargs, to, cancellationToken);
    }

    /// <summary>Closes the page's modal dialog (<c>df.modal.hide</c>); its <c>onHide</c> signal runs.</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task ModalHideAsync(this ISignals signals, object? window, IEnumerable<object>? to = null, CancellationToken cancellationToken = default) =>
        SignalsHtmlExtensions.Send(signals, window, BuiltinSignals.ModalHide, [], to, cancellationToken);
}
