using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Switchboard.Tests.Builtins;

/// <summary>The data-df-signal attribute written by <see cref="SignalBinding"/>, the tag helper and the HTML helper.</summary>
public sealed class SignalBindingTests
{
    [Fact]
    public void A_binding_writes_only_what_is_set_html_encoded()
    {
        var attribute = SignalBinding.Attribute(
            new SignalBinding("demo.save") { Form = "data", Opts = new { Kind = "it's <b>" } },
            new SignalBinding("demo.seen") { On = "mouseover", Value = "v", Prevent = false });
        Assert.Equal(
            " data-df-signal=\"[{&quot;name&quot;:&quot;demo.save&quot;,&quot;opts&quot;:{&quot;kind&quot;:&quot;it\\u0027s \\u003Cb\\u003E&quot;},&quot;form&quot;:&quot;data&quot;}," +
            "{&quot;name&quot;:&quot;demo.seen&quot;,&quot;on&quot;:&quot;mouseover&quot;,&quot;value&quot;:&quot;v&quot;,&quot;prevent&quot;:false}]\"",
            Render(attribute));
        Assert.Throws<ArgumentException>(() => SignalBinding.ToAttributeValue([new SignalBinding("bad name")]));
    }

    [Fact]
    public void The_tag_helper_writes_the_attribute_and_keeps_existing_entries()
    {
        var output = new TagHelperOutput("button", new TagHelperAttributeList { { "data-df-signal", "[{\"name\":\"first.one\"}]" }, { "id", "b" } },
            (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        output.Content.SetContent("Go");
        var helper = new DfSignalTagHelper { Signal = "demo.like", Opts = new { Id = 3 }, Prevent = true };
        helper.Process(new TagHelperContext(new TagHelperAttributeList(), new Dictionary<object, object>(), "u"), output);
        Assert.Equal(
            "<button data-df-signal=\"[{&quot;name&quot;:&quot;first.one&quot;},{&quot;name&quot;:&quot;demo.like&quot;,&quot;opts&quot;:{&quot;id&quot;:3},&quot;prevent&quot;:true}]\" id=\"b\">Go</button>",
            Render(output));
    }

    [Fact]
    public void The_html_helper_is_the_same_attribute()
    {
        var viaBinding = Render(SignalBinding.Attribute(new SignalBinding("demo.search") { On = "input", Value = "q" }));
        var helper = System.Reflection.DispatchProxy.Create<Microsoft.AspNetCore.Mvc.Rendering.IHtmlHelper, UnusedProxy>(); // DfSignal uses nothing of it
        Assert.Equal(viaBinding, Render(helper.DfSignal("demo.search", on: "input", value: "q")));
        Assert.Equal(viaBinding, Render(helper.DfSignals(new SignalBinding("demo.search") { On = "input", Value = "q" })));
    }

    public class UnusedProxy : System.Reflection.DispatchProxy
    {
        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            throw new NotSupportedException(targetMethod?.Name);
    }

    private static string Render(IHtmlContent content)
    {
        using var writer = new StringWriter();
        content.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }
}
