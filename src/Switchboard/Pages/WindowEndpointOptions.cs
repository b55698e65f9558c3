using Microsoft.AspNetCore.Http;

namespace Switchboard;

/// <summary>
/// How the window endpoint (<c>MapSwitchboardWindows</c>, <c>POST {PathPrefix}/window</c>) chooses the topics of the
/// windows it creates for clients that have no server-rendered page (single-page apps, mobile apps). Set at most one
/// of <see cref="Topics"/> and <see cref="TopicsAsync"/>; with neither, a window gets only the topics every window has
/// (WINDOW, BROADCAST, and USER when the request is authenticated).
/// </summary>
public sealed class WindowEndpointOptions
{
    /// <summary>
    /// The topics of the new window, chosen from the request (its user, its query string…), as a page chooses them with
    /// <c>SetWebSocketTopics</c>; <c>http.GetWindowInfo()</c> is the new window. Default: none.
    /// </summary>
    public Func<HttpContext, IEnumerable<object>>? Topics { get; set; }

    /// <summary>Like <see cref="Topics"/>, for a choice that must await something (a database). Default: none.</summary>
    public Func<HttpContext, CancellationToken, ValueTask<IEnumerable<object>>>? TopicsAsync { get; set; }
}
