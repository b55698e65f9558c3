using Microsoft.AspNetCore.Http;

namespace Switchboard.Internal.Windows;

/// <summary>
/// Gives each request its window state. A request carrying a page's token in <c>X-Switchboard-Window</c> (an AJAX
/// call made by that page) acts as that page's window, the way DjangoFloor's WINDOW-KEY header did, but signed.
/// </summary>
internal sealed class WindowKeyMiddleware(RequestDelegate next, WindowTokenService tokens)
{
    public const string WindowHeader = "X-Switchboard-Window";

    public Task InvokeAsync(HttpContext context)
    {
        string? reused = null;
        if (context.Request.Headers.TryGetValue(WindowHeader, out var header)
            && tokens.TryRead(header.ToString(), out var key, out var userId)
            && string.Equals(userId, WindowInfoFactory.UserIdOf(context.User), StringComparison.Ordinal))
        {
            reused = key;
        }
        context.Features.Set(new WindowFeature(reused));
        return next(context);
    }
}
