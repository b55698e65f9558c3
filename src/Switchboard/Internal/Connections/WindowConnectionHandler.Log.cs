using Microsoft.Extensions.Logging;

namespace Switchboard.Internal.Connections;

// Event ids 1001-1013 (category Switchboard.Internal.Connections.WindowConnectionHandler) are shared by the handler, its
// handshake and its frame dispatcher: each id is declared once, beside the code that logs it.
internal sealed partial class WindowConnectionHandler
{
    [LoggerMessage(EventId = 1002, EventName = "WindowDisconnected", Level = LogLevel.Debug,
        Message = "Window {WindowKey} disconnected.")]
    private static partial void LogDisconnected(ILogger logger, string windowKey);

    // Internal: also the handshake's, for a first frame too large.
    [LoggerMessage(EventId = 1007, EventName = "FrameTooLarge", Level = LogLevel.Warning,
        Message = "Window {WindowKey} sent a frame larger than {MaxFrameBytes} bytes; closing with 1009.")]
    internal static partial void LogFrameTooLarge(ILogger logger, string? windowKey, int maxFrameBytes);

    [LoggerMessage(EventId = 1008, EventName = "ConnectionLost", Level = LogLevel.Debug,
        Message = "A window connection ended abruptly: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 1009, EventName = "ConnectionFailed", Level = LogLevel.Error,
        Message = "A window connection failed unexpectedly.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);
}
