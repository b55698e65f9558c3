using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;
using Microsoft.Net.Http.Headers;

namespace Switchboard.Internal.Hosting;

/// <summary>
/// Serves the embedded JS client (clients/js/src), with an ETag so browsers revalidate cheaply. The client is a set
/// of classic scripts, its parts, listed in load order in <c>parts.json</c>:
/// <c>df.js</c> is those parts concatenated, so a page loads one script; <c>df.mjs</c> is the ES module entry, whose
/// import of each part is replaced by one <c>import './df.js'</c>, so a browser fetches that same one script; any
/// other name is the embedded file of that name.
/// </summary>
internal static class ClientScripts
{
    private const string ResourcePrefix = "Switchboard.Client.";
    private const string ModuleImport = "import './df.js';";

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

    /// <summary>The parts of <c>df.js</c>, in load order: clients/js/src/parts.json (clients/js/src/df.mjs imports the same list).</summary>
    internal static IReadOnlyList<string> Parts => PartList.Value;

    private static readonly Lazy<string[]> PartList = new(() =>
    {
        using var json = JsonDocument.Parse(Read("parts.json") ?? throw new InvalidOperationException("The JS client's parts.json is not embedded."));
        return json.RootElement.EnumerateArray().Select(part => part.GetString()!).ToArray();
    });

    private static (byte[], string)? Load(string name)
    {
        var text = name switch
        {
            "df.js" => Concatenate(Parts),
            "df.mjs" => ModuleEntry(),
            _ => Read(name),
        };
        if (text is null)
        {
            return null;
        }
        var body = Encoding.UTF8.GetBytes(text);
        return (body, "\"" + Convert.ToHexString(SHA256.HashData(body))[..16] + "\"");
    }

    /// <summary>The parts joined by a newline; null when one is missing.</summary>
    private static string? Concatenate(IEnumerable<string> parts)
    {
        var texts = parts.Select(Read).ToList();
        return texts.Contains(null) ? null : string.Join('\n', texts);
    }

    /// <summary>df.mjs with its block of part imports (one <c>import './part.js';</c> per line) replaced by one import of df.js.</summary>
    private static string? ModuleEntry()
    {
        if (Read("df.mjs") is not { } source)
        {
            return null;
        }
        var lines = new List<string>();
        var imported = new List<string>();
        foreach (var line in source.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("import './", StringComparison.Ordinal) && trimmed.EndsWith("';", StringComparison.Ordinal))
            {
                if (imported.Count == 0)
                {
                    lines.Add(ModuleImport);
                }
                imported.Add(trimmed["import './".Length..^"';".Length]);
                continue;
            }
            lines.Add(line);
        }
        // Checked by clients/js/test/parts.test.js; a mismatch here would serve a module missing parts.
        if (!imported.SequenceEqual(Parts, StringComparer.Ordinal))
        {
            throw new InvalidOperationException("clients/js/src/df.mjs must import the parts of parts.json, in the same order.");
        }
        return string.Join('\n', lines);
    }

    private static string? Read(string file)
    {
        using var stream = typeof(ClientScripts).Assembly.GetManifestResourceStream(ResourcePrefix + file);
        if (stream is null)
        {
            return null;
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
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
