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
}
