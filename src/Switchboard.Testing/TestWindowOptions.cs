using System.Net;
using System.Net.WebSockets;

namespace Switchboard.Testing;

/// <summary>
/// How <see cref="TestWindow"/> opens its page and socket and how long it waits. One instance is like one browser
/// profile: windows opened with it share its <see cref="Cookies"/>, as tabs share a browser's cookie jar.
/// </summary>
public sealed class TestWindowOptions
{
    /// <summary>
    /// The bound of every wait, send and connect of a window that is not given its own timeout (default 10 s): a test
    /// never hangs, and a missing frame fails with a message naming it.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The cookies sent with page requests and WebSocket upgrades (a signed-in user's authentication cookie, for
    /// example). Ignored when <see cref="Handler"/> is set: that handler's own cookie handling applies.
    /// </summary>
    public CookieContainer Cookies { get; set; } = new();

    /// <summary>
    /// The HTTP handler for page requests and WebSocket upgrades, e.g. a <see cref="SocketsHttpHandler"/> bound to a
    /// source address, or a test server's handler. Null (default): a handler using <see cref="Cookies"/>.
    /// The window does not dispose it.
    /// </summary>
    public HttpMessageHandler? Handler { get; set; }

    /// <summary>An <c>Origin</c> header for the upgrade request (the server checks it; docs/protocol.md §1); none by default.</summary>
    public string? Origin { get; set; }

    /// <summary>
    /// A bearer token for the upgrade request, sent as df.js sends it: <c>access_token</c> in the socket URL's query (read by
    /// the app's JwtBearer <c>OnMessageReceived</c>, docs/windows.md); none by default.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>More socket settings (request headers, <see cref="ClientWebSocketOptions.CollectHttpResponseDetails"/>, …).</summary>
    public Action<ClientWebSocketOptions>? ConfigureSocket { get; set; }

    /// <summary>Sees each frame before it is parsed; frames it consumes are not kept. See <see cref="RawFrameHandler"/>.</summary>
    public RawFrameHandler? OnFrame { get; set; }

    /// <summary>
    /// Send <c>ping</c> when nothing was sent for <c>hello.heartbeat</c> ms, as df.js does, so a long test is not closed
    /// with 4100. Off by default: tests then see exactly the frames they send.
    /// </summary>
    public bool SendHeartbeats { get; set; }

    /// <summary>A name for failure messages (a page, a node…); default: none.</summary>
    public string? Name { get; set; }

    /// <summary>A new socket with these settings (cookies or handler aside, which apply when connecting), not connected.</summary>
    public ClientWebSocket CreateSocket()
    {
        var socket = new ClientWebSocket();
        // The protocol has its own heartbeat (ping/pong frames); WebSocket keep-alives would hide a silent client.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (Handler is null)
        {
            socket.Options.Cookies = Cookies;
        }
        if (Origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", Origin);
        }
        ConfigureSocket?.Invoke(socket.Options);
        return socket;
    }

    /// <summary><paramref name="socketUri"/> with <see cref="AccessToken"/> in its query, or as it is without one.</summary>
    public Uri WithAccessToken(Uri socketUri)
    {
        ArgumentNullException.ThrowIfNull(socketUri);
        if (AccessToken is null)
        {
            return socketUri;
        }
        var query = socketUri.Query.Length > 1 ? socketUri.Query[1..] + "&" : "";
        return new UriBuilder(socketUri) { Query = query + "access_token=" + Uri.EscapeDataString(AccessToken) }.Uri;
    }

    /// <summary>A copy of these options (the cookie jar and handler are shared, not copied).</summary>
    public TestWindowOptions Clone() => (TestWindowOptions)MemberwiseClone();
}
