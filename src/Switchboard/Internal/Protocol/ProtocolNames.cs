namespace Switchboard.Internal.Protocol;

/// <summary>
/// Every protocol constant of the server side, defined once (docs/protocol.md). The JS client mirrors them in
/// <c>df.protocol</c>; ProtocolParityTests checks both sides agree.
/// </summary>
internal static class ProtocolNames
{
    public const int Version = 1;

    public static class FrameTypes
    {
        public const string Connect = "connect";
        public const string Call = "call";
        public const string Invoke = "invoke";
        public const string Ping = "ping";
        public const string Hello = "hello";
        public const string Signal = "signal";
        public const string Result = "result";
        public const string Accepted = "accepted";
        public const string Refused = "refused";
        public const string Error = "error";
        public const string Pong = "pong";
        public const string Resume = "resume";
        public const string Resumed = "resumed";
        public const string Topics = "topics";
        public const string Token = "token";
    }

    public static class ErrorCodes
    {
        public const string BadFrame = "bad_frame";
        public const string UnknownFrame = "unknown_frame";
        public const string InvalidSignalName = "invalid_signal_name";
        public const string UnknownSignal = "unknown_signal";
        public const string Forbidden = "forbidden";
        public const string KwargsTooLarge = "kwargs_too_large";
        public const string BadArguments = "bad_arguments";
        public const string HandlerFailed = "handler_failed";
        public const string Expired = "expired";
        public const string Unavailable = "unavailable";
        public const string RateLimited = "rate_limited";
    }

    public static class CloseCodes
    {
        public const int Normal = 1000;
        public const int GoingAway = 1001;
        public const int FrameTooLarge = 1009;
        public const int InternalError = 1011;
        public const int InvalidToken = 4001;
        public const int UnsupportedVersion = 4002;
        public const int ClosedByServer = 4003;
        public const int HandshakeTimeout = 4008;
        public const int TooManyCalls = 4029;
        public const int BinaryFrame = 4009;
        public const int HeartbeatTimeout = 4100;
        public const int SlowConsumer = 4101;
    }
}
