using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Switchboard;

/// <summary>
/// <c>df-signal="name"</c> on any element writes a <c>data-df-signal</c> binding (see <see cref="SignalBinding"/>):
/// <c>&lt;form df-signal="demo.save" df-signal-form="data"&gt;</c>,
/// <c>&lt;input df-signal="demo.search" df-signal-value="q" df-signal-on="input"&gt;</c>,
/// <c>&lt;button df-signal="demo.like" df-signal-opts="new { id = 3 }"&gt;</c>. A <c>data-df-signal</c> already on the
/// element (e.g. from <c>@Html.DfSignal(...)</c>) keeps its entries; this one is added after them. Enable it with
/// <c>@addTagHelper *, Switchboard</c>.
/// </summary>
[HtmlTargetElement(Attributes = "df-signal")]
public sealed class DfSignalTagHelper : TagHelper
{
    /// <summary>The signal to call.</summary>
    [HtmlAttributeName("df-signal")]
    public string Signal { get; set; } = "";

    /// <summary>The DOM event (<see cref="SignalBinding.On"/>).</summary>
    [HtmlAttributeName("df-signal-on")]
    public string? On { get; set; }

    /// <summary>The opts key receiving the serialized form (<see cref="SignalBinding.Form"/>).</summary>
    [HtmlAttributeName("df-signal-form")]
    public string? Form { get; set; }

    /// <summary>The opts key receiving the element's value (<see cref="SignalBinding.Value"/>).</summary>
    [HtmlAttributeName("df-signal-value")]
    public string? Value { get; set; }

    /// <summary>Whether to prevent the event's default action (<see cref="SignalBinding.Prevent"/>).</summary>
    [HtmlAttributeName("df-signal-prevent")]
    public bool? Prevent { get; set; }

    /// <summary>Fixed opts (<see cref="SignalBinding.Opts"/>): an object, e.g. <c>df-signal-opts="new { id = 3 }"</c>.</summary>
    [HtmlAttributeName("df-signal-opts")]
    public object? Opts { get; set; }

    /// <inheritdoc />
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var binding = new SignalBinding(Signal) { On = On, Form = Form, Value = Value, Prevent = Prevent, Opts = Opts }.ToJson();
        var list = new JsonArray();
        if (output.Attributes.TryGetAttribute("data-df-signal", out var existing) && existing.Value?.ToString() is { Length: > 0 } text)
        {
            switch (JsonNode.Parse(System.Net.WebUtility.HtmlDecode(text)))
            {
                case JsonArray entries:
                    foreach (var entry in entries.ToArray())
                    {
                        entries.Remove(entry);
                        list.Add(entry);
                    }
                    break;
                case JsonObject entry:
                    list.Add(entry);
                    break;
            }
        }
        list.Add(binding);
        output.Attributes.SetAttribute("data-df-signal", list.ToJsonString()); // a string value is HTML-encoded when written
    }
}
