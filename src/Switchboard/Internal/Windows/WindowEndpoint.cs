using Microsoft.AspNetCore.Http;

namespace Switchboard.Internal.Windows;

/// <summary>
/// <c>POST {PathPrefix}/window</c>: creates a window for a client with no rendered page and answers its init JSON. The
/// window is made exactly as a page's is (a new key, the request's user in the token, the topic list in the store).
/// </summary>
internal sealed class WindowEndpoint(WindowEndpointOptions options)
{
    public async Task HandleAsync(HttpContext context)
    {
        WindowTopicsWriter.RequireFeature(context);
        // Always a new window: a valid X-Switchboard-Window header made this request act as an existing one, but this
        // endpoint hands out windows, it never re-issues (and so re-topics) a window that is already open.
        var feature = new WindowFeature();
        context.Features.Set(feature);
        var ct = context.RequestAborted;
        var chosen = options.TopicsAsync is { } topicsAsync
            ? await topicsAsync(context, ct)
            : options.Topics?.Invoke(context);
        object[] topics = chosen switch
        {
            null => [],
            object[] array => array,
            _ => [.. chosen],
        };
        var computed = WindowTopicsWriter.Compute(context, feature, topics);
        feature.PendingTopics = computed;
        await WindowTopicsWriter.WriteAsync(context, feature.WindowKey, computed, ct);
        context.Response.ContentType = "application/json; charset=utf-8";
        // A token is a credential: no cache may keep it or hand it to another request.
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(WindowInit.Serialize(context), ct);
    }
}
