using System.Globalization;
using System.Text.Json.Nodes;
using Switchboard.Demo.Components;

namespace Switchboard.Demo;

/// <summary>
/// The /builtins page's server side: each control calls <c>demo.builtins.run</c> with a built-in signal name and its
/// arguments, and the handler answers with the typed C# shortcut of that built-in (never with a raw CallAsync).
/// </summary>
public static class BuiltinsSignals
{
    /// <summary>Runs the typed shortcut of <paramref name="builtin"/> with <paramref name="args"/>, to the calling window.</summary>
    [Signal("demo.builtins.run", IsAllowedTo = typeof(Everyone))]
    public static Task Run(WindowInfo window, ISignals signals, string builtin, JsonObject? args = null, CancellationToken cancellationToken = default)
    {
        var a = new Args(args ?? []);
        var ct = cancellationToken;
        return builtin switch
        {
            BuiltinSignals.HtmlAfter => signals.HtmlAfterAsync(window, a.Selector, a.Text("content"), cancellationToken: ct),
            BuiltinSignals.HtmlAppend => signals.HtmlAppendAsync(window, a.Selector, a.Text("content"), cancellationToken: ct),
            BuiltinSignals.HtmlPrepend => signals.HtmlPrependAsync(window, a.Selector, a.Text("content"), cancellationToken: ct),
            BuiltinSignals.HtmlBefore => signals.HtmlBeforeAsync(window, a.Selector, a.Text("content"), cancellationToken: ct),
            BuiltinSignals.HtmlContent => signals.HtmlContentAsync(window, a.Selector, a.Text("content"), cancellationToken: ct),
            BuiltinSignals.HtmlReplaceWith => signals.HtmlReplaceWithAsync(window, a.Selector, a.Text("content"), cancellationToken: ct),
            BuiltinSignals.HtmlEmpty => signals.HtmlEmptyAsync(window, a.Selector, cancellationToken: ct),
            BuiltinSignals.HtmlRemove => signals.HtmlRemoveAsync(window, a.Selector, cancellationToken: ct),
            BuiltinSignals.HtmlAddClass => signals.HtmlAddClassAsync(window, a.Selector, a.Text("class_name"), cancellationToken: ct),
            BuiltinSignals.HtmlRemoveClass => signals.HtmlRemoveClassAsync(window, a.Selector, a.Text("class_name"), cancellationToken: ct),
            BuiltinSignals.HtmlRemoveAttr => signals.HtmlRemoveAttrAsync(window, a.Selector, a.Text("attr_name"), cancellationToken: ct),
            BuiltinSignals.HtmlAddAttribute => signals.HtmlAddAttributeAsync(window, a.Selector, a.Text("attr_name"), a.Text("attr_value"), cancellationToken: ct),
            BuiltinSignals.HtmlBooleanAttribute => signals.HtmlBooleanAttributeAsync(window, a.Selector, a.Text("name"), a.Bool("value"), cancellationToken: ct),
            BuiltinSignals.HtmlText => signals.HtmlTextAsync(window, a.Selector, a.Text("content"), cancellationToken: ct),
            BuiltinSignals.HtmlDownloadFile => signals.HtmlDownloadFileAsync(window, a.Text("url"), a.OptionalText("filename"), cancellationToken: ct),
            BuiltinSignals.HtmlFocus => signals.HtmlFocusAsync(window, a.Selector, cancellationToken: ct),
            BuiltinSignals.HtmlFormsSet => signals.HtmlFormsSetAsync(window, a.Selector, a.FormValues(), cancellationToken: ct),
            BuiltinSignals.HtmlFadeIn => signals.HtmlFadeInAsync(window, a.Selector, a.Duration, cancellationToken: ct),
            BuiltinSignals.HtmlFadeOut => signals.HtmlFadeOutAsync(window, a.Selector, a.Duration, cancellationToken: ct),
            BuiltinSignals.HtmlFadeTo => signals.HtmlFadeToAsync(window, a.Selector, a.Number("opacity"), a.Duration, cancellationToken: ct),
            BuiltinSignals.HtmlFadeToggle => signals.HtmlFadeToggleAsync(window, a.Selector, a.Duration, a.Easing, cancellationToken: ct),
            BuiltinSignals.HtmlHide => signals.HtmlHideAsync(window, a.Selector, a.Duration, a.Easing, cancellationToken: ct),
            BuiltinSignals.HtmlShow => signals.HtmlShowAsync(window, a.Selector, a.Duration, a.Easing, cancellationToken: ct),
            BuiltinSignals.HtmlToggle => signals.HtmlToggleAsync(window, a.Selector, a.Duration, a.Easing, cancellationToken: ct),
            BuiltinSignals.HtmlTrigger => signals.HtmlTriggerAsync(window, a.Selector, a.Text("event"), cancellationToken: ct),
            BuiltinSignals.HtmlVal => signals.HtmlValAsync(window, a.Selector, a.Raw("value"), cancellationToken: ct),
            BuiltinSignals.Notify => signals.NotifyAsync(window, a.Text("content"), a.OptionalText("title"),
                a.Enum("level", NotifyLevel.Info), a.Enum("style", NotifyStyle.Notification),
                a.Has("timeout") ? TimeSpan.FromMilliseconds(a.Number("timeout")) : null, cancellationToken: ct),
            BuiltinSignals.ModalShow => signals.ModalShowAsync(window, a.Text("html"), a.OptionalText("width"),
                a.OnHide?["signal"]?.GetValue<string>(), a.OnHide?["options"]?.DeepClone(), cancellationToken: ct),
            BuiltinSignals.ModalHide => signals.ModalHideAsync(window, cancellationToken: ct),
            _ => throw new SignalException($"'{builtin}' is not a built-in signal."),
        };
    }

    /// <summary>Sends the opts back to the window as <c>demo.builtins.echoed</c>: the target of the page's form bindings
    /// and of the modal's onhide signal.</summary>
    [Signal("demo.builtins.echo", IsAllowedTo = typeof(Everyone))]
    public static Task Echo(WindowInfo window, ISignals signals, [CatchAll] JsonObject opts) =>
        signals.CallAsync(window, "demo.builtins.echoed", to: [Destination.Window], kwargs: opts);

    /// <summary>Renders the <see cref="BuiltinsCard"/> Razor component for the window (its user and culture), into
    /// <c>#card</c> or into the modal.</summary>
    [Signal("demo.builtins.card", IsAllowedTo = typeof(Everyone))]
    public static Task Card(WindowInfo window, ComponentSignals components, bool modal = false, CancellationToken cancellationToken = default)
    {
        var parameters = new { Title = modal ? "A component in the modal" : "A component in the page", Amount = 1234.5m, Modal = modal };
        return modal
            ? components.ModalShowAsync<BuiltinsCard>(window, parameters, width: "28rem", onHide: "demo.builtins.echo",
                onHideOptions: new { Via = "component modal hidden" }, cancellationToken: cancellationToken)
            : components.HtmlContentAsync<BuiltinsCard>(window, "#card", parameters, cancellationToken: cancellationToken);
    }

    /// <summary>Typed reads of the page's arguments.</summary>
    private sealed class Args(JsonObject args)
    {
        public string Selector => Text("selector");

        public TimeSpan? Duration => Has("duration") ? TimeSpan.FromMilliseconds(Number("duration")) : null;

        public string Easing => OptionalText("easing") ?? "swing";

        public JsonObject? OnHide => args["onhide"] as JsonObject;

        public bool Has(string name) => args[name] is not null;

        public string Text(string name) => OptionalText(name) ?? throw new SignalException($"'{name}' is required.");

        public string? OptionalText(string name) => args[name] is JsonValue v ? v.ToString() : null;

        public double Number(string name) => args[name] is JsonValue v && double.TryParse(v.ToString(), CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new SignalException($"'{name}' must be a number.");

        public bool Bool(string name) => args[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw new SignalException($"'{name}' must be true or false.");

        public T Enum<T>(string name, T fallback)
            where T : struct, System.Enum =>
            OptionalText(name) is { } text ? System.Enum.Parse<T>(text, ignoreCase: true) : fallback;

        public object? Raw(string name) => args[name]?.DeepClone();

        public IEnumerable<KeyValuePair<string, object?>> FormValues() =>
            (args["values"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(v => new KeyValuePair<string, object?>(v["name"]!.GetValue<string>(), v["value"]?.DeepClone()));
    }
}
