using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Html;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Registry;

namespace Switchboard;

/// <summary>
/// One entry of a <c>data-df-signal</c> attribute (df_websockets' form bindings, docs/builtins.md): when the element's
/// event fires, the page calls <see cref="Name"/> with <c>df.call</c>. Write it with the <see cref="DfSignalTagHelper"/>
/// (<c>df-signal="name"</c>), <c>@Html.DfSignal(...)</c>, or <see cref="Attribute"/> outside Razor.
/// </summary>
/// <param name="Name">The signal to call.</param>
public sealed record SignalBinding(string Name)
{
    /// <summary>The DOM event. <value>The default is <c>submit</c> for a form, <c>change</c> for inputs, selects and text
    /// areas, <c>click</c> for buttons and anything else.</value></summary>
    public string? On { get; init; }

    /// <summary>Fixed opts of the call (an anonymous object, a dictionary or a <c>JsonObject</c>), copied afresh for every event.</summary>
    public object? Opts { get; init; }

    /// <summary>When set, <c>opts[Form]</c> is the element's form serialized as a list of <see cref="FormField"/>.</summary>
    public string? Form { get; init; }

    /// <summary>When set, <c>opts[Value]</c> is the element's value: file names (file input), selected values
    /// (multi-select), checked (checkbox, radio), else its value.</summary>
    public string? Value { get; init; }

    /// <summary>True: always <c>preventDefault()</c>; false: never. <value>The default (null) prevents unless the event is <c>change</c>.</value></summary>
    public bool? Prevent { get; init; }

    /// <summary>This binding as a JSON object.</summary>
    public JsonObject ToJson()
    {
        SignalNames.ThrowIfInvalid(Name, nameof(Name));
        var json = new JsonObject { ["name"] = Name };
        if (!string.IsNullOrEmpty(On))
        {
            json["on"] = On;
        }
        if (Opts is not null)
        {
            json["opts"] = JsonNode.Parse(SwitchboardJson.SerializeKwargs(Opts));
        }
        if (!string.IsNullOrEmpty(Form))
        {
            json["form"] = Form;
        }
        if (!string.IsNullOrEmpty(Value))
        {
            json["value"] = Value;
        }
        if (Prevent is { } prevent)
        {
            json["prevent"] = prevent;
        }
        return json;
    }

    /// <summary>The attribute value (JSON list, not yet HTML-encoded) for <paramref name="bindings"/>.</summary>
    public static string ToAttributeValue(IEnumerable<SignalBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        var list = new JsonArray();
        foreach (var binding in bindings)
        {
            ArgumentNullException.ThrowIfNull(binding, nameof(bindings));
            list.Add(binding.ToJson());
        }
        return list.ToJsonString();
    }

    /// <summary>The whole attribute, HTML-encoded: <c> data-df-signal="[...]"</c> (with a leading space), ready to write
    /// inside a start tag.</summary>
    public static IHtmlContent Attribute(params SignalBinding[] bindings) =>
        new HtmlString(" data-df-signal=\"" + WebUtility.HtmlEncode(ToAttributeValue(bindings)) + "\"");
}
