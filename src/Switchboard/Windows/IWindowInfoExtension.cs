using Microsoft.AspNetCore.Http;

namespace Switchboard;

/// <summary>
/// Adds an application's own fields to the <see cref="WindowInfo"/> of a request (DjangoFloor's
/// <c>WINDOW_INFO_MIDDLEWARES</c>): a tenant id from the route, a feature flag, the page's theme. Registered with
/// <c>AddWindowInfoExtension&lt;T&gt;()</c> as a singleton; every registered extension runs once per request, in
/// registration order, the first time the request's window is needed (<c>GetWindowInfo()</c>, the init element, a call
/// made with the <c>HttpContext</c>). The values set while a page is rendered are signed into its window token, so the
/// window's WebSocket and every job it starts carry them to handlers on any worker (<see cref="WindowInfo.Extensions"/>).
/// See docs/choices.md, WindowInfo extensions.
/// </summary>
public interface IWindowInfoExtension
{
    /// <summary>
    /// Sets this extension's fields for <paramref name="context"/>. Synchronous because it runs on the page's render
    /// path: read what the request already has (route values, claims, headers, cookies, configuration).
    /// </summary>
    void Extend(HttpContext context, WindowExtensionBag extensions);
}
