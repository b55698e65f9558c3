using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchboard.Testing;

/// <summary>
/// The init element a Switchboard page carries (docs/protocol.md §1), read as df.js reads it:
/// <c>&lt;script type="application/json" id="switchboard-init"&gt;{"url":"/switchboard/ws","token":"…","v":1}&lt;/script&gt;</c>.
/// </summary>
/// <param name="Url">The socket URL as written, usually relative (<c>/switchboard/ws</c>).</param>
/// <param name="Token">The page's signed window token (it binds the window key and the user).</param>
/// <param name="Version">The protocol version the page was written for (<c>v</c>), or null.</param>
/// <param name="SocketUri">The socket URL resolved against the page URL, <c>http</c>→<c>ws</c>, <c>https</c>→<c>wss</c>.</param>
public sealed partial record PageInit(string Url, string Token, int? Version, Uri SocketUri)
{
    /// <summary>Reads the init element of <paramref name="html"/>, a page served at <paramref name="pageUrl"/>.</summary>
    /// <exception cref="FormatException">The page has no init element, or it is not the expected JSON.</exception>
    public static PageInit Parse(string html, Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(pageUrl);
        var match = InitElement().Match(html);
        if (!match.Success)
        {
            throw new FormatException($"The page {pageUrl} has no switchboard-init element: {Shorten(html)}");
        }
        return FromJson(match.Groups["json"].Value, pageUrl, "The switchboard-init element of " + pageUrl);
    }

    /// <summary>
    /// Reads an init object answered by a window endpoint (<c>MapSwitchboardWindows</c>) at <paramref name="endpointUrl"/>:
    /// its <c>url</c> resolves against the endpoint, as df.js resolves it.
    /// </summary>
    /// <exception cref="FormatException">The JSON is not <c>{url, token, v}</c>.</exception>
    public static PageInit ParseJson(string json, Uri endpointUrl)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(endpointUrl);
        return FromJson(json, endpointUrl, "The answer of " + endpointUrl);
    }

    /// <summary>
    /// POSTs to a window endpoint (<c>MapSwitchboardWindows</c>, default <c>/switchboard/window</c>) as
    /// <c>df.start({ windowEndpoint })</c> does, with <c>Authorization: Bearer</c> when <paramref name="accessToken"/> is
    /// given, and reads the init object of the new window.
    /// </summary>
    /// <exception cref="HttpRequestException">The endpoint did not answer 2xx (e.g. 401 without a token).</exception>
    public static async Task<PageInit> RequestWindowAsync(HttpClient http, Uri endpointUrl, string? accessToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpointUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpointUrl);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return ParseJson(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), endpointUrl);
    }

    private static PageInit FromJson(string json, Uri baseUrl, string what)
    {
        try
        {
            using var init = JsonDocument.Parse(json);
            var root = init.RootElement;
            var url = root.GetProperty("url").GetString() ?? throw new FormatException(what + ": url is null.");
            var token = root.GetProperty("token").GetString() ?? throw new FormatException(what + ": token is null.");
            int? version = root.TryGetProperty("v", out var v) && v.TryGetInt32(out var n) ? n : null;
            return new PageInit(url, token, version, ToSocketUri(new Uri(baseUrl, url)));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"{what} is not {{url, token, v}}: {Shorten(json)}", e);
        }
    }

    /// <summary>GETs <paramref name="pageUrl"/> with <paramref name="http"/> and reads its init element.</summary>
    public static async Task<PageInit> LoadAsync(HttpClient http, Uri pageUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        var html = await http.GetStringAsync(pageUrl, cancellationToken).ConfigureAwait(false);
        return Parse(html, pageUrl);
    }

    /// <summary>GETs <paramref name="pageUrl"/> with the cookies or handler of <paramref name="options"/> and reads its init element.</summary>
    public static async Task<PageInit> LoadAsync(Uri pageUrl, TestWindowOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TestWindowOptions();
        using var http = options.Handler is { } handler
            ? new HttpClient(handler, disposeHandler: false)
            : new HttpClient(new SocketsHttpHandler { CookieContainer = options.Cookies, UseCookies = true });
        http.Timeout = options.Timeout;
        return await LoadAsync(http, pageUrl, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The socket URL as if the page had been served by <paramref name="node"/>: the same path on another host, as when a
    /// load balancer without sticky sessions sends the WebSocket to another node than the page.
    /// </summary>
    public Uri SocketUriFor(Uri node) => ToSocketUri(new Uri(node, Url));

    private static Uri ToSocketUri(Uri url) => new UriBuilder(url)
    {
        Scheme = url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeWss ? Uri.UriSchemeWss : Uri.UriSchemeWs,
        Port = url.IsDefaultPort ? -1 : url.Port,
    }.Uri;

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";

    [GeneratedRegex("<script type=\"application/json\" id=\"switchboard-init\">(?<json>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InitElement();
}
