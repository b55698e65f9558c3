using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.Internal.Windows;

/// <summary>
/// Gives each request its window state. A request carrying a page's token in <c>X-Switchboard-Window</c> (an AJAX
/// call made by that page, e.g. through <c>df.fetch</c>) acts as that page's window, the way DjangoFloor's WINDOW-KEY
/// header did, but signed. A header that does not name one of this user's live windows is refused with 400: the
/// request asked to act as a window, and acting as a fresh one instead would send its WINDOW answers nowhere.
/// </summary>
internal sealed partial class WindowKeyMiddleware(RequestDelegate next, WindowTokenService tokens, ILogger<WindowKeyMiddleware> logger)
{
    public const string WindowHeader = "X-Switchboard-Window";

    public Task InvokeAsync(HttpContext context)
    {
        string? reused = null;
        FrozenDictionary<string, JsonElement>? signed = null;
        if (context.Request.Headers.TryGetValue(WindowHeader, out var header))
        {
            // The token is never logged: it is a credential of the window.
            if (header.Count != 1 || !tokens.TryRead(header.ToString(), out var token))
            {
                LogInvalidHeader(logger, context.Request.Method, context.Request.Path);
                return RefuseAsync(context, "The X-Switchboard-Window header is not a valid window token (forged, corrupted or expired): reload the page.");
            }
            var requestUser = WindowInfoFactory.UserIdOf(context.User);
            if (!string.Equals(token.UserId, requestUser, StringComparison.Ordinal))
            {
                LogForeignHeader(logger, context.Request.Method, context.Request.Path, token.UserId, requestUser);
                return RefuseAsync(context, "The X-Switchboard-Window header names a window of another user (signed in or out since the page was loaded?): reload the page.");
            }
            (reused, signed) = (token.WindowKey, token.Extensions);
        }
        context.Features.Set(new WindowFeature(reused, signed));
        return next(context);
    }

    private static Task RefuseAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, context.RequestAborted);
    }

    [LoggerMessage(EventId = 1551, EventName = "WindowHeaderInvalid", Level = LogLevel.Warning,
        Message = "{Method} {Path} refused with 400: its X-Switchboard-Window header is not a valid window token (forged, corrupted or expired).")]
    private static partial void LogInvalidHeader(ILogger logger, string method, PathString path);

    [LoggerMessage(EventId = 1552, EventName = "WindowHeaderForeignUser", Level = LogLevel.Warning,
        Message = "{Method} {Path} refused with 400: its X-Switchboard-Window header names a window of user '{TokenUser}', the request is user '{RequestUser}'.")]
    private static partial void LogForeignHeader(ILogger logger, string method, PathString path, string? tokenUser, string? requestUser);
}
