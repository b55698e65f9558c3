using Microsoft.Extensions.Logging;

namespace Switchboard.Internal.Connections;

internal sealed partial class WindowConnectionHandler
{
    [LoggerMessage(EventId = 1001, EventName = "WindowConnected", Level = LogLevel.Debug,
        Message = "Window {WindowKey} of user {UserId} connected with {TopicCount} topics.")]
    private static partial void LogConnected(ILogger logger, string windowKey, string? userId, int topicCount);

    [LoggerMessage(EventId = 1002, EventName = "WindowDisconnected", Level = LogLevel.Debug,
        Message = "Window {WindowKey} disconnected.")]
    private static partial void LogDisconnected(ILogger logger, string windowKey);

    [LoggerMessage(EventId = 1003, EventName = "OriginRefused", Level = LogLevel.Warning,
        Message = "WebSocket refused: origin {Origin} is not allowed (SwitchboardOptions.AllowedOrigins).")]
    private static partial void LogOriginRefused(ILogger logger, string origin);

    [LoggerMessage(EventId = 1004, EventName = "BadWindowToken", Level = LogLevel.Warning,
        Message = "WebSocket refused: the window token is forged, corrupted or expired.")]
    private static partial void LogBadToken(ILogger logger);

    [LoggerMessage(EventId = 1005, EventName = "WindowTokenUserMismatch", Level = LogLevel.Warning,
        Message = "WebSocket refused: the window token was issued to user {TokenUser} but the request is from user {RequestUser}.")]
    private static partial void LogTokenUserMismatch(ILogger logger, string? tokenUser, string? requestUser);

    [LoggerMessage(EventId = 1006, EventName = "BadFrame", Level = LogLevel.Information,
        Message = "Window {WindowKey} sent a bad frame: {Reason}")]
    private static partial void LogBadFrame(ILogger logger, string? windowKey, string? reason);

    [LoggerMessage(EventId = 1007, EventName = "FrameTooLarge", Level = LogLevel.Warning,
        Message = "Window {WindowKey} sent a frame larger than {MaxFrameBytes} bytes; closing with 1009.")]
    private static partial void LogFrameTooLarge(ILogger logger, string? windowKey, int maxFrameBytes);

    [LoggerMessage(EventId = 1008, EventName = "ConnectionLost", Level = LogLevel.Debug,
        Message = "A window connection ended abruptly: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 1009, EventName = "ConnectionFailed", Level = LogLevel.Error,
        Message = "A window connection failed unexpectedly.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1010, EventName = "DispatchFailed", Level = LogLevel.Error,
        Message = "A browser call of signal {Signal} could not be queued; refused as unavailable.")]
    private static partial void LogDispatchFailed(ILogger logger, string signal, Exception exception);

    [LoggerMessage(EventId = 1011, EventName = "AtCapacity", Level = LogLevel.Warning,
        Message = "WebSocket refused with 503: this node already holds its maximum of {MaxWindows} windows (SwitchboardOptions.MaxWindows).")]
    private static partial void LogAtCapacity(ILogger logger, int maxWindows);

    [LoggerMessage(EventId = 1012, EventName = "RateLimitAbuse", Level = LogLevel.Warning,
        Message = "Window {WindowKey} kept calling while rate-limited ({Refusals} refusals in a row); closing with 4029.")]
    private static partial void LogRateLimitAbuse(ILogger logger, string? windowKey, int refusals);

    [LoggerMessage(EventId = 1013, EventName = "WindowResumed", Level = LogLevel.Debug,
        Message = "Window {WindowKey} resumed: {Replayed} messages replayed, recovered: {Recovered}.")]
    private static partial void LogResumed(ILogger logger, string windowKey, int replayed, bool recovered);
}
