namespace Switchboard;

/// <summary>
/// Typed shortcuts for the built-in <c>html.*</c> browser signals (docs/builtins.md), after DjangoFloor's
/// <c>djangofloor.signals.html</c>. Each one calls the signal with the argument names the browser expects; all default
/// to <c>to: [Destination.Window]</c> (the calling window). <c>window</c> is what
/// <see cref="ISignals.CallAsync"/> takes: an <c>HttpContext</c>, a <see cref="WindowInfo"/> or null.
/// </summary>
/// <example><code>
/// await signals.HtmlAppendAsync(window, "#log", "&lt;li&gt;" + HtmlEncoder.Default.Encode(text) + "&lt;/li&gt;");
/// await signals.HtmlAddClassAsync(window, "#form", "is-valid", to: [Destination.User]);
/// </code></example>
// Two files by concern (one public class, the API is the same): content, classes, attributes, forms and events here;
// fades and animated shows/hides in SignalsHtmlExtensions.Effects.cs.
public static partial class SignalsHtmlExtensions
{
    /// <summary>Inserts <paramref name="html"/> after each element matching <paramref name="selector"/> (<c>html.after</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="html">HTML, inserted as markup (scripts in it do not run): encode user data in it.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlAfterAsync(this ISignals signals, object? window, string selector, string html, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentNullException.ThrowIfNull(html);
        return Send(signals, window, BuiltinSignals.HtmlAfter, new() { ["selector"] = selector, ["content"] = html }, to, cancellationToken);
    }

    /// <summary>Inserts <paramref name="html"/> at the end of each element matching <paramref name="selector"/> (<c>html.append</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="html">HTML, inserted as markup (scripts in it do not run): encode user data in it.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlAppendAsync(this ISignals signals, object? window, string selector, string html, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentNullException.ThrowIfNull(html);
        return Send(signals, window, BuiltinSignals.HtmlAppend, new() { ["selector"] = selector, ["content"] = html }, to, cancellationToken);
    }

    /// <summary>Inserts <paramref name="html"/> at the start of each element matching <paramref name="selector"/> (<c>html.prepend</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="html">HTML, inserted as markup (scripts in it do not run): encode user data in it.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlPrependAsync(this ISignals signals, object? window, string selector, string html, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentNullException.ThrowIfNull(html);
        return Send(signals, window, BuiltinSignals.HtmlPrepend, new() { ["selector"] = selector, ["content"] = html }, to, cancellationToken);
    }

    /// <summary>Inserts <paramref name="html"/> before each element matching <paramref name="selector"/> (<c>html.before</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="html">HTML, inserted as markup (scripts in it do not run): encode user data in it.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlBeforeAsync(this ISignals signals, object? window, string selector, string html, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentNullException.ThrowIfNull(html);
        return Send(signals, window, BuiltinSignals.HtmlBefore, new() { ["selector"] = selector, ["content"] = html }, to, cancellationToken);
    }

    /// <summary>Replaces the content of each element matching <paramref name="selector"/> with <paramref name="html"/> (<c>html.content</c>). To render a Razor component into it, see <see cref="ComponentSignals.HtmlContentAsync{TComponent}"/>.</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="html">HTML, inserted as markup (scripts in it do not run): encode user data in it.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlContentAsync(this ISignals signals, object? window, string selector, string html, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentNullException.ThrowIfNull(html);
        return Send(signals, window, BuiltinSignals.HtmlContent, new() { ["selector"] = selector, ["content"] = html }, to, cancellationToken);
    }

    /// <summary>Replaces each element matching <paramref name="selector"/> with <paramref name="html"/> (<c>html.replace_with</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="html">HTML, inserted as markup (scripts in it do not run): encode user data in it.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlReplaceWithAsync(this ISignals signals, object? window, string selector, string html, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentNullException.ThrowIfNull(html);
        return Send(signals, window, BuiltinSignals.HtmlReplaceWith, new() { ["selector"] = selector, ["content"] = html }, to, cancellationToken);
    }

    /// <summary>Removes the children of each element matching <paramref name="selector"/> (<c>html.empty</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlEmptyAsync(this ISignals signals, object? window, string selector, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        return Send(signals, window, BuiltinSignals.HtmlEmpty, new() { ["selector"] = selector }, to, cancellationToken);
    }

    /// <summary>Removes each element matching <paramref name="selector"/> (<c>html.remove</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlRemoveAsync(this ISignals signals, object? window, string selector, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        return Send(signals, window, BuiltinSignals.HtmlRemove, new() { ["selector"] = selector }, to, cancellationToken);
    }

    /// <summary>Adds <paramref name="className"/> to each element matching <paramref name="selector"/> (<c>html.add_class</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="className">One class, or several separated by spaces.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlAddClassAsync(this ISignals signals, object? window, string selector, string className, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        return Send(signals, window, BuiltinSignals.HtmlAddClass, new() { ["selector"] = selector, ["class_name"] = className }, to, cancellationToken);
    }

    /// <summary>Removes <paramref name="className"/> from each element matching <paramref name="selector"/> (<c>html.remove_class</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="className">One class, or several separated by spaces.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlRemoveClassAsync(this ISignals signals, object? window, string selector, string className, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        return Send(signals, window, BuiltinSignals.HtmlRemoveClass, new() { ["selector"] = selector, ["class_name"] = className }, to, cancellationToken);
    }

    /// <summary>Removes the attribute <paramref name="attrName"/> from each element matching <paramref name="selector"/> (<c>html.remove_attr</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="attrName">The attribute name.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlRemoveAttrAsync(this ISignals signals, object? window, string selector, string attrName, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentException.ThrowIfNullOrWhiteSpace(attrName);
        return Send(signals, window, BuiltinSignals.HtmlRemoveAttr, new() { ["selector"] = selector, ["attr_name"] = attrName }, to, cancellationToken);
    }

    /// <summary>Sets the attribute <paramref name="attrName"/> to <paramref name="attrValue"/> on each element matching <paramref name="selector"/> (<c>html.add_attribute</c>). The browser refuses event-handler attributes (<c>on*</c>) and <c>javascript:</c> URLs.</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="attrName">The attribute name.</param>
    /// <param name="attrValue">The value, set as text.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlAddAttributeAsync(this ISignals signals, object? window, string selector, string attrName, string attrValue, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentException.ThrowIfNullOrWhiteSpace(attrName);
        ArgumentNullException.ThrowIfNull(attrValue);
        return Send(signals, window, BuiltinSignals.HtmlAddAttribute, new() { ["selector"] = selector, ["attr_name"] = attrName, ["attr_value"] = attrValue }, to, cancellationToken);
    }

    /// <summary>Sets (<c>name="name"</c>) or removes the boolean attribute <paramref name="name"/> (<c>disabled</c>, <c>hidden</c>, <c>required</c>...) of each element matching <paramref name="selector"/> (<c>html.boolean_attribute</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">True sets it, false removes it.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlBooleanAttributeAsync(this ISignals signals, object? window, string selector, string name, bool value, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Send(signals, window, BuiltinSignals.HtmlBooleanAttribute, new() { ["selector"] = selector, ["name"] = name, ["value"] = value }, to, cancellationToken);
    }

    /// <summary>Sets the text of each element matching <paramref name="selector"/> (<c>html.text</c>); markup in <paramref name="text"/> stays text.</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="text">The text.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlTextAsync(this ISignals signals, object? window, string selector, string text, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentNullException.ThrowIfNull(text);
        return Send(signals, window, BuiltinSignals.HtmlText, new() { ["selector"] = selector, ["content"] = text }, to, cancellationToken);
    }

    /// <summary>Focuses the first element matching <paramref name="selector"/> (<c>html.focus</c>).</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlFocusAsync(this ISignals signals, object? window, string selector, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        return Send(signals, window, BuiltinSignals.HtmlFocus, new() { ["selector"] = selector }, to, cancellationToken);
    }

    /// <summary>Dispatches the DOM event <paramref name="eventName"/> on each element matching <paramref name="selector"/> (<c>html.trigger</c>): <c>click</c>, <c>focus</c>, <c>blur</c> and <c>submit</c> (on a form: <c>requestSubmit()</c>) run the native action, any other name is dispatched as a bubbling, cancelable event.</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="eventName">The event type, e.g. <c>click</c> or <c>change</c>.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlTriggerAsync(this ISignals signals, object? window, string selector, string eventName, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return Send(signals, window, BuiltinSignals.HtmlTrigger, new() { ["selector"] = selector, ["event"] = eventName }, to, cancellationToken);
    }

    /// <summary>Makes the browser download <paramref name="url"/> (<c>html.download_file</c>), through a temporary
    /// <c>&lt;a download&gt;</c>. Only http(s), blob and data URLs are followed.</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="url">The URL, absolute or relative to the page.</param>
    /// <param name="filename">The name to save as (same-origin URLs only); null lets the browser choose.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlDownloadFileAsync(this ISignals signals, object? window, string url, string? filename = null, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var kwargs = new Dictionary<string, object?> { ["url"] = url };
        if (filename is not null)
        {
            kwargs["filename"] = filename;
        }
        return Send(signals, window, BuiltinSignals.HtmlDownloadFile, kwargs, to, cancellationToken);
    }

    /// <summary>
    /// Sets fields of each form matching <paramref name="selector"/> (<c>html.forms.set</c>, df_websockets' rules): for a
    /// radio or checkbox group, <c>true</c>/<c>false</c> checks or unchecks all, a string array checks those whose value
    /// is in it, a string checks the one with that value; a single checkbox takes a bool (else its value is set); a
    /// <c>&lt;select&gt;</c> takes a value or an array (multi-select); other fields take their value as text.
    /// </summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector of forms.</param>
    /// <param name="values">Field name → value (string, number, bool or string array), e.g. a <c>Dictionary&lt;string, object?&gt;</c>.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlFormsSetAsync(this ISignals signals, object? window, string selector, IEnumerable<KeyValuePair<string, object?>> values, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        ArgumentNullException.ThrowIfNull(values);
        var list = values.Select(v => new Dictionary<string, object?> { ["name"] = v.Key, ["value"] = v.Value }).ToList();
        return Send(signals, window, BuiltinSignals.HtmlFormsSet, new() { ["selector"] = selector, ["values"] = list }, to, cancellationToken);
    }

    /// <summary>Sets the value of each form control matching <paramref name="selector"/> (<c>html.val</c>, jQuery's
    /// <c>.val(value)</c>): text for inputs and text areas, a value or an array for selects, an array of values to check
    /// for checkboxes and radios.</summary>
    /// <param name="signals">The signal caller.</param>
    /// <param name="window">The calling window.</param>
    /// <param name="selector">A CSS selector (<c>document.querySelectorAll</c>); every match is affected.</param>
    /// <param name="value">A string, a number, or a string array.</param>
    /// <param name="to">Destinations. <value>The default is <see cref="Destination.Window"/>.</value></param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    /// <returns>The task of <see cref="ISignals.CallAsync"/>.</returns>
    public static Task HtmlValAsync(this ISignals signals, object? window, string selector, object? value, IEnumerable<object>? to = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selector);
        return Send(signals, window, BuiltinSignals.HtmlVal, new() { ["selector"] = selector, ["value"] = value }, to, cancellationToken);
    }

    /// <summary>Calls a built-in signal with <c>to</c> defaulting to the calling window.</summary>
    internal static Task Send(ISignals signals, object? window, string signal, Dictionary<string, object?> kwargs, IEnumerable<object>? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signals);
        return signals.CallAsync(window, signal, to ?? [Destination.Window], kwargs, cancellationToken: cancellationToken);
    }
}
