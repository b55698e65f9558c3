using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Diagnostics;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Serves one window's WebSocket: origin check, handshake, subscription, then a receive loop that answers calls
/// (queueing jobs, never running handlers) and a send loop that drains the window's queue.
/// </summary>
internal sealed partial class WindowConnectionHandler(
    WindowTokenService tokens,
    WindowInfoFactory windows,
    ITopicStore topicStore,
    LocalTopicRegistry registry,
    SignalDispatcher dispatcher,
    WindowReplay replay,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    SwitchboardMetrics metrics,
    IOptions<SwitchboardOptions> options,
    ILogger<WindowConnectionHandler> logger)
{
    /// <summary>Sockets held by this node, handshakes included: what <see cref="SwitchboardOptions.MaxWindows"/> bounds.</summary>
    private int _sockets;

    public int Sockets => Volatile.Read(ref _sockets);

    /// <summary>How long the frames queued before a close may take to be written before the socket is aborted.</summary>
    private static readonly TimeSpan CloseWriteTimeout = TimeSpan.FromSeconds(10);

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint only accepts WebSocket requests.", context.RequestAborted);
            return;
        }
        if (!OriginPolicy.IsAllowed(context.Request, options.Value.AllowedOrigins))
        {
            LogOriginRefused(logger, context.Request.Headers.Origin.ToString());
            metrics.Refused(RefusalReasons.Origin);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (Interlocked.Increment(ref _sockets) > (OpenFileLimit.MaxWindows(options.Value) ?? int.MaxValue))
        {
            Interlocked.Decrement(ref _sockets);
            LogAtCapacity(logger, OpenFileLimit.MaxWindows(options.Value) ?? 0);
            metrics.Refused(RefusalReasons.Capacity);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            return;
        }
        try
        {
            var (socket, wire, stream) = await WebSocketUpgrade.AcceptAsync(context);
            using var ownedSocket = socket;
            try
            {
                await RunAsync(context, socket, wire, stream);
            }
            catch (Exception e) when (e is not (WebSocketException or OperationCanceledException or IOException))
            {
                LogUnexpected(logger, e);
                await CloseAsync(socket, ProtocolNames.CloseCodes.InternalError, "internal error");
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            LogConnectionLost(logger, e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _sockets);
        }
    }

    private async Task RunAsync(HttpContext context, WebSocket socket, WindowWire wire, SharedWriteStream? stream)
    {
        ClientFrame? handshake;
        // The handshake buffer goes back to the pool once the first frame is parsed: idle windows hold no buffer.
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            handshake = await ReceiveHandshakeAsync(context, socket, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (handshake is not { } hello)
        {
            return;
        }
        await ServeAsync(context, socket, wire, stream, hello);
    }

    /// <summary>Reads and parses the first frame; null when the socket was closed instead (timeout, shutdown, bad frame).</summary>
    private async Task<ClientFrame?> ReceiveHandshakeAsync(HttpContext context, WebSocket socket, byte[] buffer)
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
                await CloseAsync(socket, code, reason);
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

    private async Task ServeAsync(HttpContext context, WebSocket socket, WindowWire wire, SharedWriteStream? stream, ClientFrame hello)
    {
        var o = options.Value;
        if (hello.Type != ProtocolNames.FrameTypes.Connect)
        {
            await CloseAsync(socket, ProtocolNames.CloseCodes.HandshakeTimeout, "the first frame must be connect");
            return;
        }
        if (hello.Version != ProtocolNames.Version)
        {
            await CloseAsync(socket, ProtocolNames.CloseCodes.UnsupportedVersion, $"protocol version {ProtocolNames.Version} required");
            return;
        }
        if (!tokens.TryRead(hello.Token, out var windowKey, out var tokenUser))
        {
            LogBadToken(logger);
            metrics.Refused(RefusalReasons.BadToken);
            await CloseAsync(socket, ProtocolNames.CloseCodes.InvalidToken, "invalid or expired window token");
            return;
        }
        var requestUser = WindowInfoFactory.UserIdOf(context.User);
        if (!string.Equals(tokenUser, requestUser, StringComparison.Ordinal))
        {
            LogTokenUserMismatch(logger, tokenUser, requestUser);
            metrics.Refused(RefusalReasons.TokenUser);
            await CloseAsync(socket, ProtocolNames.CloseCodes.InvalidToken, "the window token belongs to another user");
            return;
        }
        var window = windows.Create(context, windowKey);
        var topics = await topicStore.GetAsync(windowKey, context.RequestAborted)
            ?? DefaultTopics.For(window);
        var connection = new WindowConnection(socket, wire, window, topics, o.SendQueueCapacity, time.GetTimestamp());
        if (stream is not null)
        {
            stream.Owner = connection; // from now on the socket's own writes take the window's writer turn
        }
        // Live messages wait while the window catches up, so replay and live traffic never overlap or leave a hole.
        connection.HoldLive();
        await registry.AddAsync(connection, context.RequestAborted);
        metrics.WindowConnected();
        try
        {
            await SayHelloAsync(connection, hello, context.RequestAborted);
            LogConnected(logger, windowKey, window.UserId, topics.Count);
            // Server shutting down: close with 1001 so the window reconnects (elsewhere) and the server is not kept
            // waiting for open sockets until its shutdown timeout. Runs at once if shutdown has already begun.
            using var shuttingDown = lifetime.ApplicationStopping.Register(
                static state => ((WindowConnection)state!).RequestClose(ProtocolNames.CloseCodes.GoingAway, "server shutting down"), connection);
            // The request's end stops the receive loop through the connection's lifetime (one registration, no linked source).
            using var aborted = context.RequestAborted.UnsafeRegister(static state => ((WindowConnection)state!).CancelLifetime(), connection);
            try
            {
                await ReceiveLoopAsync(connection, connection.Lifetime.Token);
            }
            catch (OperationCanceledException) when (connection.Lifetime.IsCancellationRequested)
            {
                // We asked to close and the peer did not answer in time.
            }
            connection.RequestClose(ProtocolNames.CloseCodes.Normal, "bye");
            await WaitClosedAsync(connection);
        }
        finally
        {
            await registry.RemoveAsync(connection);
            metrics.WindowDisconnected();
            connection.Lifetime.Dispose();
            LogDisconnected(logger, windowKey);
        }
    }

    /// <summary>
    /// Replays what the window missed, then hello, then the live frames held meanwhile — in its own method so the replay
    /// state is not kept alive for the whole connection.
    /// </summary>
    private async Task SayHelloAsync(WindowConnection connection, ClientFrame hello, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var prepared = await replay.PrepareAsync(connection.Topics, hello.Positions, o.SendQueueCapacity / 2, cancellationToken);
        var allowed = await dispatcher.GetAllowedSignalsAsync(connection.Window, cancellationToken);
        connection.ReleaseLive(held =>
        {
            var kept = prepared.KeepNew(held);
            return [.. prepared.Frames, FrameWriter.Hello(allowed, o.HeartbeatInterval, prepared.Positions, prepared.Recovered), .. kept];
        });
        if (prepared.Recovered is { } recovered)
        {
            LogResumed(logger, connection.Window.WindowKey ?? "", prepared.Frames.Count, recovered);
        }
    }

    private async Task ReceiveLoopAsync(WindowConnection connection, CancellationToken cancellationToken)
    {
        var o = options.Value;
        while (true)
        {
            // Zero-byte read: an idle window waits without holding a receive buffer; one is rented per frame.
            var ready = await connection.Socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
            if (ready.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            FrameResult frame;
            ClientFrame parsed = default;
            if (ready.EndOfMessage)
            {
                // An empty message was consumed whole by the zero-byte read.
                frame = new FrameResult(ready.MessageType == WebSocketMessageType.Binary ? FrameKind.Binary : FrameKind.Text, default);
                parsed = FrameReader.Parse([]);
            }
            else
            {
                var buffer = ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    frame = await FrameIo.ReceiveAsync(connection.Socket, buffer, o.MaxFrameBytes, cancellationToken);
                    if (frame.Kind == FrameKind.Text && connection.CloseStatus is null)
                    {
                        parsed = FrameReader.Parse(frame.Payload.Span);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            connection.LastReceivedTimestamp = time.GetTimestamp();
            if (frame.Kind == FrameKind.Close)
            {
                return;
            }
            if (connection.CloseStatus is not null)
            {
                // Closing (4029, 4101, 1001...): frames still arriving are read until the peer's close, so the close
                // handshake completes, but not handled: their answers could not be sent.
                continue;
            }
            switch (frame.Kind)
            {
                case FrameKind.Binary:
                    metrics.Refused(RefusalReasons.BinaryFrame);
                    connection.RequestClose(ProtocolNames.CloseCodes.BinaryFrame, "binary frames are not supported");
                    return;
                case FrameKind.TooLarge:
                    metrics.Refused(RefusalReasons.FrameTooLarge);
                    LogFrameTooLarge(logger, connection.Window.WindowKey, o.MaxFrameBytes);
                    connection.RequestClose(ProtocolNames.CloseCodes.FrameTooLarge, "frame too large");
                    return;
            }
            await HandleFrameAsync(connection, parsed, cancellationToken);
        }
    }

    private async Task HandleFrameAsync(WindowConnection connection, ClientFrame frame, CancellationToken cancellationToken)
    {
        if (frame.ErrorCode is { } code)
        {
            LogBadFrame(logger, connection.Window.WindowKey, frame.ErrorMessage);
            metrics.Refused(RefusalReasons.BadFrame);
            connection.TrySend(FrameWriter.Error(code, frame.ErrorMessage ?? "bad frame", frame.Id, frame.Signal));
            return;
        }
        switch (frame.Type)
        {
            case ProtocolNames.FrameTypes.Ping:
                connection.TrySend(FrameWriter.Pong);
                return;
            case ProtocolNames.FrameTypes.Call:
                var id = frame.Id!.Value;
                var limit = options.Value.CallRateLimit;
                if (!connection.TryTakeCallPermit(limit, time))
                {
                    metrics.Refused(RefusalReasons.RateLimited);
                    if (connection.RateLimitedInARow >= limit.CloseAfterRefusals)
                    {
                        LogRateLimitAbuse(logger, connection.Window.WindowKey, connection.RateLimitedInARow);
                        metrics.Refused(RefusalReasons.RateLimitAbuse);
                        connection.RequestClose(ProtocolNames.CloseCodes.TooManyCalls, "too many calls");
                        return;
                    }
                    connection.TrySend(FrameWriter.Refused(id, ProtocolNames.ErrorCodes.RateLimited,
                        $"Too many calls: at most {limit.PermitsPerSecond} per second (burst {limit.Burst})."));
                    return;
                }
                ClientCallResult result;
                try
                {
                    result = await dispatcher.DispatchClientCallAsync(connection.Window, frame.Signal!, frame.OptsJson!, frame.OptsBytes, id, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The queue could not take the job (e.g. Redis is down): refuse, keep the socket.
                    LogDispatchFailed(logger, frame.Signal!, e);
                    result = ClientCallResult.Refused(ProtocolNames.ErrorCodes.Unavailable, $"'{frame.Signal}' could not be queued; try again later.");
                }
                metrics.Call(result.Accepted);
                connection.TrySend(result.Accepted
                    ? FrameWriter.Accepted(id, result.Jobs)
                    : FrameWriter.Refused(id, result.RefusalCode!, result.Message!));
                return;
            case ProtocolNames.FrameTypes.Resume:
                await ResumeAsync(connection, frame.Id!.Value, frame.Positions!, cancellationToken);
                return;
            case ProtocolNames.FrameTypes.Connect:
                connection.TrySend(FrameWriter.Error(ProtocolNames.ErrorCodes.BadFrame, "This window is already connected: 'connect' is only valid as the first frame.", frame.Id));
                return;
            default:
                connection.TrySend(FrameWriter.Error(ProtocolNames.ErrorCodes.UnknownFrame, $"Unknown frame type '{Truncate(frame.Type)}'.", frame.Id));
                return;
        }
    }

    /// <summary>A gap seen on a live connection: replay what follows the window's positions, then say so.</summary>
    private async Task ResumeAsync(WindowConnection connection, long id, IReadOnlyDictionary<string, TopicPosition> positions, CancellationToken cancellationToken)
    {
        var frames = new List<byte[]>();
        var recovered = true;
        foreach (var topic in connection.Topics)
        {
            if (positions.TryGetValue(TopicIds.Of(topic), out var from))
            {
                var (complete, _) = await replay.ReplayAsync(topic, from, frames, options.Value.SendQueueCapacity / 2, cancellationToken);
                recovered &= complete;
            }
        }
        foreach (var frame in frames)
        {
            connection.TrySend(frame);
        }
        connection.TrySend(FrameWriter.Resumed(id, recovered));
        LogResumed(logger, connection.Window.WindowKey ?? "", frames.Count, recovered);
    }

    /// <summary>Waits for the close frame to be written after the queued frames; a peer that reads nothing is aborted.</summary>
    private static async Task WaitClosedAsync(WindowConnection connection)
    {
        try
        {
            await connection.WhenClosedAsync().WaitAsync(CloseWriteTimeout);
        }
        catch (TimeoutException)
        {
            connection.Socket.Abort();
        }
    }

    private async Task<bool> CloseOnTransportProblemAsync(WebSocket socket, FrameResult frame, int maxFrameBytes)
    {
        switch (frame.Kind)
        {
            case FrameKind.Close:
                return true;
            case FrameKind.Binary:
                metrics.Refused(RefusalReasons.BinaryFrame);
                await CloseAsync(socket, ProtocolNames.CloseCodes.BinaryFrame, "binary frames are not supported");
                return true;
            case FrameKind.TooLarge:
                metrics.Refused(RefusalReasons.FrameTooLarge);
                LogFrameTooLarge(logger, null, maxFrameBytes);
                await CloseAsync(socket, ProtocolNames.CloseCodes.FrameTooLarge, "frame too large");
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

    private static async Task CloseAsync(WebSocket socket, int code, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer is gone already; nothing more to tell it.
        }
    }

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 32 ? s : s[..32] + "…";
}
