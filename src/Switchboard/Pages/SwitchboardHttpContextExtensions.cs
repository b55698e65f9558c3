using Microsoft.Extensions.DependencyInjection;
using Switchboard;
using Switchboard.Internal.Windows;

namespace Microsoft.AspNetCore.Http;

/// <summary>Switchboard helpers for views and endpoints.</summary>
public static class SwitchboardHttpContextExtensions
{
    /// <summary>
    /// Chooses the topics of the page being rendered (DjangoFloor's <c>set_websocket_topics</c>). WINDOW and BROADCAST
    /// are always added, USER when the user is authenticated; SERVER is ignored; a second call replaces the first.
    /// The list is written to the topic store just before the response starts. Takes the topics one by one
    /// (<c>SetWebSocketTopics("a", "b")</c>) or as any sequence (<c>SetWebSocketTopics(rooms)</c> with a
    /// <c>List&lt;string&gt;</c>); a sequence of value types (<c>List&lt;int&gt;</c>) is refused with an exception that says
    /// to pass <c>rooms.Cast&lt;object&gt;()</c>, never taken as one topic.
    /// </summary>
    public static void SetWebSocketTopics(this HttpContext context, params IEnumerable<object> topics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(topics);
        if (context.Response.HasStarted)
        {
            throw new InvalidOperationException("SetWebSocketTopics must be called before the response starts; use SetWebSocketTopicsAsync once it has.");
        }
        var feature = WindowTopicsWriter.RequireFeature(context);
        feature.PendingTopics = WindowTopicsWriter.Compute(context, feature, topics);
        if (!feature.TopicsWriteScheduled)
        {
            feature.TopicsWriteScheduled = true;
            context.Response.OnStarting(() => WindowTopicsWriter.WriteAsync(context, feature.WindowKey, feature.PendingTopics!, context.RequestAborted).AsTask());
        }
    }

    /// <summary>Like <see cref="SetWebSocketTopics"/> but writes the topic store now (cancelled with the request).</summary>
    public static Task SetWebSocketTopicsAsync(this HttpContext context, params IEnumerable<object> topics)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.SetWebSocketTopicsAsync(topics, context.RequestAborted);
    }

    /// <summary>Like <see cref="SetWebSocketTopics"/> but writes the topic store now.</summary>
    public static async Task SetWebSocketTopicsAsync(this HttpContext context, IEnumerable<object> topics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(topics);
        var feature = WindowTopicsWriter.RequireFeature(context);
        var computed = WindowTopicsWriter.Compute(context, feature, topics);
        feature.PendingTopics = computed;
        await WindowTopicsWriter.WriteAsync(context, feature.WindowKey, computed, cancellationToken);
    }

    /// <summary>The window key of this request's page (created on first use).</summary>
    public static string GetWindowKey(this HttpContext context) => WindowTopicsWriter.RequireFeature(context).WindowKey;

    /// <summary>
    /// The <see cref="WindowInfo"/> of this request's page, with the application's extensions (<see cref="IWindowInfoExtension"/>,
    /// run once per request; on a request acting as an open window, the values signed into its token win).
    /// </summary>
    public static WindowInfo GetWindowInfo(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<WindowInfoFactory>().Create(context, context.GetWindowKey());
    }

    /// <summary>
    /// The signed token of this request's page. Send it in the <c>X-Switchboard-Window</c> header of AJAX requests so
    /// they act as the page's window.
    /// </summary>
    public static string GetWindowToken(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WindowInit.Token(context);
    }

    /// <summary>
    /// The init element for the page: a JSON script tag holding the WebSocket path and the signed window token.
    /// Put it anywhere in the page, with <c>&lt;script src="/switchboard/df.js"&gt;</c>. For minimal APIs; Razor pages can
    /// use the <c>&lt;switchboard-init /&gt;</c> tag helper or <c>Html.SwitchboardInit()</c>.
    /// </summary>
    public static string SwitchboardInitHtml(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return "<script type=\"application/json\" id=\"switchboard-init\">" + WindowInit.Serialize(context) + "</script>";
    }
}
