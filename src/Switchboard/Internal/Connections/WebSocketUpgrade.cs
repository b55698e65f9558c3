using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Accepts a window's WebSocket. On HTTP/1.1 Switchboard upgrades the connection itself (the RFC 6455 handshake the
/// WebSockets middleware does, without extensions or subprotocols) so it can write frames straight to the upgraded
/// stream (<see cref="FramedStreamWire"/>); the <see cref="WebSocket"/> over that stream still reads frames and answers
/// pings. Elsewhere (HTTP/2, test servers) it accepts through the middleware and writes through the socket.
/// </summary>
internal static class WebSocketUpgrade
{
    private const string HandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task<(WebSocket Socket, WindowWire Wire, SharedWriteStream? Stream)> AcceptAsync(HttpContext context)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
        {
            var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.Zero });
            return (socket, new WebSocketWire(socket), null);
        }
        // As the middleware does: a socket lives far longer than any request timeout.
        context.Features.Get<IHttpRequestTimeoutFeature>()?.DisableTimeout();
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = AcceptKey(key);
        var stream = new SharedWriteStream(await upgrade.UpgradeAsync());
        var webSocket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = TimeSpan.Zero,
        });
        return (webSocket, new FramedStreamWire(stream.Inner), stream);
    }

    private static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + HandshakeGuid)));
}
