using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Diagnostics;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Connections;

/// <summary>
/// A window's way in, up to its first frames: the HTTP request's admission (WebSocket, origin, <see cref="SwitchboardOptions.MaxWindows"/>),
/// then on the accepted socket the <c>connect</c> frame (in time, right version, this user's token), the window's
/// <see cref="WindowConnection"/> with its live frames held, and, once the connection is registered, the replay of what the
/// window missed and <c>hello</c>. Made by <see cref="WindowConnectionHandler"/>, whose logger (category) it writes to.
/// </summary>
internal sealed partial class WindowHandshake(
    WindowTokenService tokens,
    WindowInfoFactory windows,
    TopicKeys topicKeys,
    ITopicStore topicStore,
    SignalDispatcher dispatcher,
    WindowReplay replay,
    WindowMembership membership,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    SwitchboardMetrics metrics,
    IOptions<SwitchboardOptions> options,
    ILogger logger)
{
    /// <summary>Sockets held by this node, handshakes included: what <see cref="SwitchboardOptions.MaxWindows"/> bounds.</summary>
    private int _sockets;

    public int Sockets => Volatile.Read(ref _sockets);

    /// <summary>
    /// Refuses a request that is no WebSocket (400), from an origin not allowed (403) or past the node's capacity (503),
    /// writing the response; otherwise takes one of the node's sockets, which <see cref="ReleaseSocket"/> gives back.
    /// </summary>
    public async Task<bool> AdmitAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint only accepts WebSocket requests.", context.RequestAborted);
            return false;
        }
        if (!OriginPolicy.IsAllowed(context.Request, options.Value.AllowedOrigins))
        {
            LogOriginRefused(logger, context.Request.Headers.Origin.ToString());
            metrics.Refused(RefusalReasons.Origin);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }
        if (Interlocked.Increment(ref _sockets) > (OpenFileLimit.MaxWindows(options.Value) ?? int.MaxValue))
        {
            Interlocked.Decrement(ref _sockets);
            LogAtCapacity(logger, OpenFileLimit.MaxWindows(options.Value) ?? 0);
            metrics.Refused(RefusalReasons.Capacity);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            return false;
        }
        return true;
    }

    /// <summary>Gives back the socket taken by a successful <see cref="AdmitAsync"/> once that socket has ended.</summary>
    public void ReleaseSocket() => Interlocked.Decrement(ref _sockets);

    /// <summary>
    /// Reads the first frame and checks it is this user's <c>connect</c>; then the window's connection, its live frames
    /// held until <see cref="SayHelloAsync"/>. Null when the socket was closed instead (timeout, shutdown, bad frame, refused).
    /// </summary>
    public async Task<(WindowConnection Connection, ClientFrame Hello)?> ConnectAsync(
        HttpContext context, WebSocket socket, WindowWire wire, SharedWriteStream? stream)
    {
        ClientFrame? first;
        // The handshake buffer goes back to the pool once the first frame is parsed: idle windows hold no buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            first = await ReceiveFirstAsync(context, socket, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (first is not { } hello)
        {
            return null;
        }
        var connection = await OpenAsync(context, socket, wire, stream, hello);
        return connection is null ? null : (connection, hello);
    }

    /// <summary>Reads and parses the first frame; null when the socket was closed instead (timeout, shutdown, bad frame).</summary>
    private async Task<ClientFrame?> ReceiveFirstAsync(HttpContext context, WebSocket socket, byte[] buffer)
    {
        var o = options.Value;
        // Handshake: the first frame must be a valid connect with this user's token. The timeout races the receive
        // instead of cancelling it: cancelling a WebSocket receive aborts the socket, and the 4008 close frame
        // could then never be sent.
        // A server shutting down meanwhile closes with 1001 rather than keep the socket until the timeout.
        var receivingFirst = FrameIo.ReceiveAsync(socket, buffer, o.MaxFrameBytes, context.RequestAborted).AsTask();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStopping.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), stopping))
        using (var stopTimer = new CancellationTokenSource())
        {
            var timeout = Task.Delay(o.HandshakeTimeout, time, stopTimer.Token);
            var done = await Task.WhenAny(receivingFirst, timeout, stopping.Task);
            if (done != receivingFirst)
            {
                var (code, reason) = done == stopping.Task
                    ? (ProtocolNames.CloseCodes.GoingAway, "server shutting down")
                    : (ProtocolNames.CloseCodes.HandshakeTimeout, "no connect frame in time");
                if (done != stopping.Task)
                {
                    metrics.Refused(RefusalReasons.HandshakeTimeout);
                }
                await FrameIo.CloseAsync(socket, code, reason);
                await AwaitCloseReplyAsync(socket, receivingFirst);
                return null;
            }
            await stopTimer.CancelAsync();
        }
        var first = await receivingFirst;
        if (await CloseOnTransportProblemAsync(socket, first, o.MaxFrameBytes))
        {
            return null;
        }
        return FrameReader.Parse(first.Payload.Span);
    }

    /// <summary>Checks the <c>connect</c> frame; the window's connection, holding live frames, or null when refused (the socket closed).</summary>
    private async Task<WindowConnection?> OpenAsync(HttpContext context, WebSocket socket, WindowWire wire, SharedWriteStream? stream, ClientFrame hello)
    {
        var o = options.Value;
        if (hello.Type != ProtocolNames.FrameTypes.Connect)
        {
            await FrameIo.CloseAsync(socket, ProtocolNames.CloseCodes.HandshakeTimeout, "the first frame must be connect");
            return null;
        }
        if (hello.Version != ProtocolNames.Version)
        {
            await FrameIo.CloseAsync(socket, ProtocolNames.CloseCodes.UnsupportedVersion, $"protocol version {ProtocolNames.Version} required");
            return null;
        }
        if (!tokens.TryRead(hello.Token, out var token))
        {
            LogBadToken(logger);
            metrics.Refused(RefusalReasons.BadToken);
            await FrameIo.CloseAsync(socket, ProtocolNames.CloseCodes.InvalidToken, "invalid or expired window token");
            return null;
        }
        var (windowKey, tokenUser, tokenExpires) = (token.WindowKey, token.UserId, token.ExpiresAt);
        var requestUser = WindowInfoFactory.UserIdOf(context.User);
        if (!string.Equals(tokenUser, requestUser, StringComparison.Ordinal))
        {
            LogTokenUserMismatch(logger, tokenUser, requestUser);
            metrics.Refused(RefusalReasons.TokenUser);
            await FrameIo.CloseAsync(socket, ProtocolNames.CloseCodes.InvalidToken, "the window token belongs to another user");
            return null;
        }
        // The extensions are the page's, signed into its token: none run on the WebSocket request, which knows nothing
        // of the page (its route, its query), so every frame of the window sees what the page was rendered with.
        var window = windows.Create(context, windowKey, token.Extensions);
        // The stored list's time to live is renewed as the window connects (both commands in one round trip on Redis):
        // a page reconnecting late in its list's life keeps it until the renewal sweep takes over (WindowRenewal).
        var renewing = topicStore.RefreshAsync(windowKey, o.TopicsTimeToLive, context.RequestAborted);
        IReadOnlyList<string>? stored;
        try
        {
            stored = await topicStore.GetAsync(windowKey, context.RequestAborted);
        }
        finally
        {
            await renewing;
        }
        // The window's own topics always, and what is stored: its page's choice and live changes (IWindowControl),
        // which store only the topics they join when the page chose none.
        var own = topicKeys.Of(window);
        var topics = own.ToList();
        foreach (var topic in stored ?? [])
        {
            if (!topics.Contains(topic, StringComparer.Ordinal))
            {
                topics.Add(topic);
            }
        }
        var connection = new WindowConnection(socket, wire, window, own, topics, o.SendQueueCapacity, time.GetTimestamp());
        WindowRenewal.Schedule(connection, tokenExpires, stored is not null, o, time);
        if (stream is not null)
        {
            stream.Owner = connection; // from now on the socket's own writes take the window's writer turn
        }
        // Live messages wait while the window catches up, so replay and live traffic never overlap or leave a hole.
        connection.HoldLive();
        return connection;
    }

    /// <summary>
    /// Replays what the window missed, then hello, then the live frames held meanwhile — in its own method so the replay
    /// state is not kept alive for the whole connection.
    /// </summary>
    public async Task SayHelloAsync(WindowConnection connection, ClientFrame hello, CancellationToken cancellationToken)
    {
        var o = options.Value;
        // Commands (IWindowControl) met in the window's own topics are applied on the way: see WindowMembership.
        var commands = hello.Positions is { } resume ? membership.ForConnect(connection, resume) : null;
        var prepared = await replay.PrepareAsync(connection.Topics, hello.Positions, o.SendQueueCapacity / 2, cancellationToken, commands);
        var allowed = await dispatcher.GetAllowedSignalsAsync(connection.Window, cancellationToken);
        var functions = await dispatcher.GetAllowedFunctionsAsync(connection.Window, cancellationToken);
        // Counted before hello goes out, so whoever sees the hello also sees the replay counted.
        if (prepared.Recovered is { } recovered)
        {
            metrics.Replayed(recovered);
            LogResumed(logger, connection.Window.WindowKey ?? "", prepared.Frames.Count, recovered);
        }
        connection.ReleaseLive(held =>
        {
            // Frames of topics a replayed change left came after that change: not for this window any more.
            var kept = commands is null ? prepared.KeepNew(held) : WindowMembership.Filter(prepared.KeepNew(held), commands);
            return [.. prepared.Frames, FrameWriter.Hello(allowed, o.HeartbeatInterval, prepared.Positions, prepared.Recovered, functions), .. kept];
        });
        LogConnected(logger, connection.Window.WindowKey ?? "", connection.Window.UserId, connection.Topics.Count);
    }

    private async Task<bool> CloseOnTransportProblemAsync(WebSocket socket, FrameResult frame, int maxFrameBytes)
    {
        switch (frame.Kind)
        {
            case FrameKind.Close:
                return true;
            case FrameKind.Binary:
                metrics.Refused(RefusalReasons.BinaryFrame);
                await FrameIo.CloseAsync(socket, ProtocolNames.CloseCodes.BinaryFrame, "binary frames are not supported");
                return true;
            case FrameKind.TooLarge:
                metrics.Refused(RefusalReasons.FrameTooLarge);
                WindowConnectionHandler.LogFrameTooLarge(logger, null, maxFrameBytes);
                await FrameIo.CloseAsync(socket, ProtocolNames.CloseCodes.FrameTooLarge, "frame too large");
                return true;
            default:
                return false;
        }
    }

    /// <summary>After our close frame, waits a little for the peer's, then aborts: the pending receive must end before its buffer is reused.</summary>
    private static async Task AwaitCloseReplyAsync(WebSocket socket, Task pendingReceive)
    {
        try
        {
            await pendingReceive.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or WebSocketException or OperationCanceledException or IOException)
        {
            socket.Abort();
            await pendingReceive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
