using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace Switchboard.Internal.Hosting;

/// <summary>
/// Serves the embedded JS client, with an ETag so browsers revalidate cheaply. <c>df.js</c> is served as df.js
/// followed by df-builtins.js (the built-in browser signals), so a page loads one script.
/// </summary>
internal static class ClientScripts
{
    private static readonly ConcurrentDictionary<string, (byte[] Body, string ETag)?> Cache = new(StringComparer.Ordinal);

    public static async Task WriteAsync(HttpContext context, string name)
    {
        var script = Cache.GetOrAdd(name, Load);
        if (script is not { } s)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.Headers.ETag = s.ETag;
        context.Response.Headers.CacheControl = "no-cache";
        if (Matches(context.Request.GetTypedHeaders().IfNoneMatch, s.ETag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        context.Response.ContentType = "text/javascript; charset=utf-8";
        context.Response.ContentLength = s.Body.Length;
        context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        await context.Response.Body.WriteAsync(s.Body, context.RequestAborted);
    }

    /// <summary>The files each served name is made of, in order.</summary>
    private static string[] PartsOf(string name) => name == "df.js" ? ["df.js", "df-builtins.js"] : [name];

    private static (byte[], string)? Load(string name)
    {
        using var memory = new MemoryStream();
        foreach (var part in PartsOf(name))
        {
            using var stream = typeof(ClientScripts).Assembly.GetManifestResourceStream("Switchboard.Client." + part);
            if (stream is null)
            {
                return null;
            }
            if (memory.Length > 0)
            {
                memory.WriteByte((byte)'\n');
            }
            stream.CopyTo(memory);
        }
        var body = memory.ToArray();
        return (body, "\"" + Convert.ToHexString(SHA256.HashData(body))[..16] + "\"");
    }

    /// <summary>RFC 9110 If-None-Match: "*", a list, weak comparison.</summary>
    private static bool Matches(IList<EntityTagHeaderValue>? ifNoneMatch, string etag)
    {
        if (ifNoneMatch is null)
        {
            return false;
        }
        var ours = new EntityTagHeaderValue(etag);
        return ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ours, useStrongComparison: false));
    }
}
