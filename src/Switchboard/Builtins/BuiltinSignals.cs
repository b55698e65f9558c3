namespace Switchboard;

/// <summary>
/// Names of the built-in browser signals, defined once on the server side. The JS client lists the same names in
/// <c>Switchboard.protocol.builtinSignals</c> (clients/js/src/df-protocol.js) and registers them in clients/js/src/df-builtins.js;
/// <c>BuiltinNamesParityTests</c> checks both agree. Typed shortcuts: <see cref="SignalsHtmlExtensions"/>,
/// <see cref="SignalsNotifyExtensions"/>, <see cref="SignalsModalExtensions"/>; arguments: docs/builtins.md.
/// </summary>
public static class BuiltinSignals
{
    /// <summary><c>html.after</c>: inserts HTML after each element matching a selector.</summary>
    public const string HtmlAfter = "html.after";

    /// <summary><c>html.append</c>: inserts HTML at the end of each matching element.</summary>
    public const string HtmlAppend = "html.append";

    /// <summary><c>html.prepend</c>: inserts HTML at the start of each matching element.</summary>
    public const string HtmlPrepend = "html.prepend";

    /// <summary><c>html.before</c>: inserts HTML before each matching element.</summary>
    public const string HtmlBefore = "html.before";

    /// <summary><c>html.content</c>: replaces the content of each matching element with HTML.</summary>
    public const string HtmlContent = "html.content";

    /// <summary><c>html.replace_with</c>: replaces each matching element with HTML.</summary>
    public const string HtmlReplaceWith = "html.replace_with";

    /// <summary><c>html.empty</c>: removes the children of each matching element.</summary>
    public const string HtmlEmpty = "html.empty";

    /// <summary><c>html.remove</c>: removes each matching element.</summary>
    public const string HtmlRemove = "html.remove";

    /// <summary><c>html.add_class</c>: adds CSS classes to each matching element.</summary>
    public const string HtmlAddClass = "html.add_class";

    /// <summary><c>html.remove_class</c>: removes CSS classes from each matching element.</summary>
    public const string HtmlRemoveClass = "html.remove_class";

    /// <summary><c>html.remove_attr</c>: removes an attribute from each matching element.</summary>
    public const string HtmlRemoveAttr = "html.remove_attr";

    /// <summary><c>html.add_attribute</c>: sets an attribute of each matching element.</summary>
    public const string HtmlAddAttribute = "html.add_attribute";

    /// <summary><c>html.boolean_attribute</c>: sets or removes a boolean attribute of each matching element.</summary>
    public const string HtmlBooleanAttribute = "html.boolean_attribute";

    /// <summary><c>html.text</c>: sets the text of each matching element.</summary>
    public const string HtmlText = "html.text";

    /// <summary><c>html.download_file</c>: makes the browser download a URL.</summary>
    public const string HtmlDownloadFile = "html.download_file";

    /// <summary><c>html.focus</c>: focuses the first matching element.</summary>
    public const string HtmlFocus = "html.focus";

    /// <summary><c>html.forms.set</c>: sets the values of form fields.</summary>
    public const string HtmlFormsSet = "html.forms.set";

    /// <summary><c>html.fade_in</c>: shows matching elements by fading them in.</summary>
    public const string HtmlFadeIn = "html.fade_in";

    /// <summary><c>html.fade_out</c>: hides matching elements by fading them out.</summary>
    public const string HtmlFadeOut = "html.fade_out";

    /// <summary><c>html.fade_to</c>: fades matching elements to an opacity.</summary>
    public const string HtmlFadeTo = "html.fade_to";

    /// <summary><c>html.fade_toggle</c>: fades matching elements in or out.</summary>
    public const string HtmlFadeToggle = "html.fade_toggle";

    /// <summary><c>html.hide</c>: hides matching elements.</summary>
    public const string HtmlHide = "html.hide";

    /// <summary><c>html.show</c>: shows matching elements.</summary>
    public const string HtmlShow = "html.show";

    /// <summary><c>html.toggle</c>: shows or hides matching elements.</summary>
    public const string HtmlToggle = "html.toggle";

    /// <summary><c>html.trigger</c>: dispatches a DOM event on matching elements.</summary>
    public const string HtmlTrigger = "html.trigger";

    /// <summary><c>html.val</c>: sets the value of matching form controls.</summary>
    public const string HtmlVal = "html.val";

    /// <summary><c>df.notify</c>: shows a notification (toast, banner, modal or system).</summary>
    public const string Notify = "df.notify";

    /// <summary><c>df.modal.show</c>: opens the page's modal dialog with HTML.</summary>
    public const string ModalShow = "df.modal.show";

    /// <summary><c>df.modal.hide</c>: closes the page's modal dialog.</summary>
    public const string ModalHide = "df.modal.hide";

    /// <summary>Every built-in browser signal name, in the order of the JS table.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        HtmlAfter,
        HtmlAppend,
        HtmlPrepend,
        HtmlBefore,
        HtmlContent,
        HtmlReplaceWith,
        HtmlEmpty,
        HtmlRemove,
        HtmlAddClass,
        HtmlRemoveClass,
        HtmlRemoveAttr,
        HtmlAddAttribute,
        HtmlBooleanAttribute,
        HtmlText,
        HtmlDownloadFile,
        HtmlFocus,
        HtmlFormsSet,
        HtmlFadeIn,
        HtmlFadeOut,
        HtmlFadeTo,
        HtmlFadeToggle,
        HtmlHide,
        HtmlShow,
        HtmlToggle,
        HtmlTrigger,
        HtmlVal,
        Notify,
        ModalShow,
        ModalHide,
    ];
}
