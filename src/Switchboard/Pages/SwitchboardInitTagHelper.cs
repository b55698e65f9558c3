using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Switchboard;

/// <summary>
/// <c>&lt;switchboard-init /&gt;</c>: writes the page's init element (WebSocket path and signed window token).
/// Enable it with <c>@addTagHelper *, Switchboard</c> in <c>_ViewImports.cshtml</c>.
/// </summary>
[HtmlTargetElement("switchboard-init", TagStructure = TagStructure.WithoutEndTag)]
public sealed class SwitchboardInitTagHelper : TagHelper
{
    /// <summary>The view context, set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext? ViewContext { get; set; }

    /// <inheritdoc />
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var http = ViewContext?.HttpContext ?? throw new InvalidOperationException("<switchboard-init /> needs a ViewContext (use it in a Razor view or page).");
        output.TagName = null;
        output.Content.SetHtmlContent(http.SwitchboardInitHtml());
    }
}
