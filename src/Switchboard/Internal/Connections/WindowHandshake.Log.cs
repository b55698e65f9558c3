using Microsoft.Extensions.Logging;

namespace Switchboard.Internal.Connections;

// Event ids 1001-1013 (category Switchboard.Internal.Connections.WindowConnectionHandler) are shared by the handler, its
// handshake and its frame dispatcher: each id is declared once, beside the code that logs it.
internal sealed partial class WindowHandshake
{
    [LoggerMessage(EventId = 1001, EventName = "WindowConnected", Level = LogLevel.Debug,
        Message = "Window {WindowKey} of user {UserId} connected with {TopicCount} topics.")]
    private static partial void LogConnected(ILogger logger, string windowKey, string? userId, int topicCount);

    [LoggerMessage(EventId = 1003, EventName = "OriginRefused", Level = LogLevel.Warning,
        Message = "WebSocket refused: origin {Origin} is not allowed (SwitchboardOptions.AllowedOrigins).")]
    private static partial void LogOriginRefused(ILogger logger, string origin);

    [LoggerMessage(EventId = 1004, EventName = "BadWindowToken", Level = LogLevel.Warning,
        Message = "WebSocket refused: the window token is forged, corrupted or expired.")]
    private static partial void LogBadToken(ILogger logger);

    [LoggerMessage(EventId = 1005, EventName = "WindowTokenUserMismatch", Level = LogLevel.Warning,
        Message = "WebSocket refused: the window token was issued to user {TokenUser} but the request is from user {RequestUser}.")]
    private static partial void LogTokenUserMismatch(ILogger logger, string? tokenUser, string? requestUser);

    [LoggerMessage(EventId = 1011, EventName = "AtCapacity", Level = LogLevel.Warning,
        Message = "WebSocket refused with 503: this node already holds its maximum of {MaxWindows} windows (SwitchboardOptions.MaxWindows).")]
    private static partial void LogAtCapacity(ILogger logger, int maxWindows);

    // Internal: also the dispatcher's, for a resume frame.
    [LoggerMessage(EventId = 1013, EventName = "WindowResumed", Level = LogLevel.Debug,
        Message = "Window {WindowKey} resumed: {Replayed} messages replayed, recovered: {Recovered}.")]
    internal static partial void LogResumed(ILogger logger, string windowKey, int replayed, bool recovered);
}
