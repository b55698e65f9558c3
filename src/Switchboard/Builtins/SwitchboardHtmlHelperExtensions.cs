using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Http;
using Switchboard;

namespace Microsoft.AspNetCore.Mvc.Rendering;

/// <summary>HTML helpers for Switchboard in Razor views.</summary>
public static class SwitchboardHtmlHelperExtensions
{
    /// <summary>Writes the page's init element, like <see cref="SwitchboardInitTagHelper"/>.</summary>
    public static IHtmlContent SwitchboardInit(this IHtmlHelper html)
    {
        ArgumentNullException.ThrowIfNull(html);
        return new HtmlString(html.ViewContext.HttpContext.SwitchboardInitHtml());
    }

    /// <summary>
    /// Writes a <c>data-df-signal</c> attribute (HTML-encoded JSON, with a leading space) binding the element to
    /// <paramref name="name"/>: <c>&lt;form @Html.DfSignal("demo.save", form: "data")&gt;</c>. See <see cref="SignalBinding"/>.
    /// </summary>
    /// <param name="html">The HTML helper.</param>
    /// <param name="name">The signal to call.</param>
    /// <param name="on">The DOM event (default: submit for forms, change for inputs, click otherwise).</param>
    /// <param name="form">The opts key receiving the serialized form.</param>
    /// <param name="value">The opts key receiving the element's value.</param>
    /// <param name="prevent">Whether to prevent the default action (default: unless the event is change).</param>
    /// <param name="opts">Fixed opts: an anonymous object, a dictionary or a <c>JsonObject</c>.</param>
    public static IHtmlContent DfSignal(this IHtmlHelper html, string name, string? on = null, string? form = null, string? value = null, bool? prevent = null, object? opts = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        return SignalBinding.Attribute(new SignalBinding(name) { On = on, Form = form, Value = value, Prevent = prevent, Opts = opts });
    }

    /// <summary>Writes one <c>data-df-signal</c> attribute with several bindings.</summary>
    /// <param name="html">The HTML helper.</param>
    /// <param name="bindings">The bindings, in order.</param>
    public static IHtmlContent DfSignals(this IHtmlHelper html, params SignalBinding[] bindings)
    {
        ArgumentNullException.ThrowIfNull(html);
        return SignalBinding.Attribute(bindings);
    }
}
