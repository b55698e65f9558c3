using Microsoft.Extensions.Logging;

namespace Switchboard.Internal.Connections;

// Event ids 1001-1013 (category Switchboard.Internal.Connections.WindowConnectionHandler) are shared by the handler, its
// handshake and its frame dispatcher: each id is declared once, beside the code that logs it.
internal sealed partial class ClientFrameDispatcher
{
    [LoggerMessage(EventId = 1006, EventName = "BadFrame", Level = LogLevel.Information,
        Message = "Window {WindowKey} sent a bad frame: {Reason}")]
    private static partial void LogBadFrame(ILogger logger, string? windowKey, string? reason);

    [LoggerMessage(EventId = 1010, EventName = "DispatchFailed", Level = LogLevel.Error,
        Message = "A browser call of signal {Signal} could not be queued; refused as unavailable.")]
    private static partial void LogDispatchFailed(ILogger logger, string signal, Exception exception);

    [LoggerMessage(EventId = 1012, EventName = "RateLimitAbuse", Level = LogLevel.Warning,
        Message = "Window {WindowKey} kept calling while rate-limited ({Refusals} refusals in a row); closing with 4029.")]
    private static partial void LogRateLimitAbuse(ILogger logger, string? windowKey, int refusals);
}
