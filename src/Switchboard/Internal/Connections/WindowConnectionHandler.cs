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
/// Serves one window's WebSocket for its whole life: admitted and greeted by <see cref="WindowHandshake"/>, registered
/// for its topics, then a receive loop whose frames <see cref="ClientFrameDispatcher"/> answers (queueing jobs, never
/// running handlers), until the window or the server closes. Writes are the <see cref="WindowConnection"/>'s own.
/// </summary>
internal sealed partial class WindowConnectionHandler
{
    /// <summary>How long the frames queued before a close may take to be written before the socket is aborted.</summary>
    private static readonly TimeSpan CloseWriteTimeout = TimeSpan.FromSeconds(10);

    private readonly WindowHandshake _handshake;
    private readonly ClientFrameDispatcher _frames;
    private readonly LocalTopicRegistry _registry;
    private readonly WindowRenewal _renewal;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly SwitchboardMetrics _metrics;
    private readonly IOptions<SwitchboardOptions> _options;
    private readonly ILogger<WindowConnectionHandler> _logger;

    public WindowConnectionHandler(
        WindowTokenService tokens,
        WindowInfoFactory windows,
        TopicKeys topicKeys,
        ITopicStore topicStore,
        LocalTopicRegistry registry,
        SignalDispatcher dispatcher,
        WindowReplay replay,
        WindowMembership membership,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        SwitchboardMetrics metrics,
        IOptions<SwitchboardOptions> options,
        ILogger<WindowConnectionHandler> logger,
        WindowRenewal renewal)
    {
        // Both write to this handler's logger: its category and event ids are what they were before the split.
        _handshake = new WindowHandshake(tokens, windows, topicKeys, topicStore, dispatcher, replay, membership, time, lifetime, metrics, options, logger);
        _frames = new ClientFrameDispatcher(dispatcher, membership, time, metrics, options, logger);
        _registry = registry;
        _renewal = renewal;
        _time = time;
        _lifetime = lifetime;
        _metrics = metrics;
        _options = options;
        _logger = logger;
    }

    /// <summary>Sockets held by this node, handshakes included: what <see cref="SwitchboardOptions.MaxWindows"/> bounds.</summary>
    public int Sockets => _handshake.Sockets;

    public async Task HandleAsync(HttpContext context)
    {
        if (!await _handshake.AdmitAsync(context))
        {
            return;
        }
        try
        {
            var (socket, wire, stream) = await WebSocketUpgrade.AcceptAsync(context);
            using var ownedSocket = socket;
            try
            {
                await ServeAsync(context, socket, wire, stream);
            }
            catch (Exception e) when (e is not (WebSocketException or OperationCanceledException or IOException))
            {
                LogUnexpected(_logger, e);
                await FrameIo.CloseAsync(socket, ProtocolNames.CloseCodes.InternalError, "internal error");
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            LogConnectionLost(_logger, e.Message);
        }
        finally
        {
            _handshake.ReleaseSocket();
        }
    }

    private async Task ServeAsync(HttpContext context, WebSocket socket, WindowWire wire, SharedWriteStream? stream)
    {
        if (await _handshake.ConnectAsync(context, socket, wire, stream) is not { } connected)
        {
            return;
        }
        var (connection, hello) = connected;
        await _registry.AddAsync(connection, context.RequestAborted);
        _metrics.WindowConnected();
        try
        {
            await _handshake.SayHelloAsync(connection, hello, context.RequestAborted);
            // Server shutting down: close with 1001 so the window reconnects (elsewhere) and the server is not kept
            // waiting for open sockets until its shutdown timeout. Runs at once if shutdown has already begun.
            using var shuttingDown = _lifetime.ApplicationStopping.Register(
                static state => ((WindowConnection)state!).RequestClose(ProtocolNames.CloseCodes.GoingAway, "server shutting down"), connection);
            // The request's end stops the receive loop through the connection's lifetime (one registration, no linked source).
            using var aborted = context.RequestAborted.UnsafeRegister(static state => ((WindowConnection)state!).CancelLifetime(), connection);
            // Each browser call starts a trace of its own (SwitchboardActivities.StartBrowserCall), never a child of
            // the socket's request, which lasts as long as the window; and jobs carry no context of it.
            System.Diagnostics.Activity.Current = null;
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
            await _registry.RemoveAsync(connection);
            _renewal.Left(connection);
            _metrics.WindowDisconnected();
            if (connection.CloseStatus?.Code == ProtocolNames.CloseCodes.SlowConsumer)
            {
                _metrics.OutboxOverflowed();
            }
            connection.Lifetime.Dispose();
            LogDisconnected(_logger, connection.Window.WindowKey ?? "");
        }
    }

    private async Task ReceiveLoopAsync(WindowConnection connection, CancellationToken cancellationToken)
    {
        var o = _options.Value;
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
            connection.LastReceivedTimestamp = _time.GetTimestamp();
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
                    _metrics.Refused(RefusalReasons.BinaryFrame);
                    connection.RequestClose(ProtocolNames.CloseCodes.BinaryFrame, "binary frames are not supported");
                    return;
                case FrameKind.TooLarge:
                    _metrics.Refused(RefusalReasons.FrameTooLarge);
                    LogFrameTooLarge(_logger, connection.Window.WindowKey, o.MaxFrameBytes);
                    connection.RequestClose(ProtocolNames.CloseCodes.FrameTooLarge, "frame too large");
                    return;
            }
            await _frames.DispatchAsync(connection, parsed, cancellationToken);
        }
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
}
