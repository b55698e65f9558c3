using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Switchboard.Hosting;

/// <summary>Serves the embedded JS client, with an ETag so browsers revalidate cheaply.</summary>
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
        if (context.Request.Headers.IfNoneMatch.ToString() == s.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        context.Response.ContentType = "text/javascript; charset=utf-8";
        context.Response.ContentLength = s.Body.Length;
        context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        await context.Response.Body.WriteAsync(s.Body, context.RequestAborted);
    }

    private static (byte[], string)? Load(string name)
    {
        using var stream = typeof(ClientScripts).Assembly.GetManifestResourceStream("Switchboard.Client." + name);
        if (stream is null)
        {
            return null;
        }
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var body = memory.ToArray();
        return (body, "\"" + Convert.ToHexString(SHA256.HashData(body))[..16] + "\"");
    }
}
