namespace Switchboard.Internal.Diagnostics;

/// <summary>The <c>reason</c> tag values of <c>switchboard.refusals</c>, defined once.</summary>
internal static class RefusalReasons
{
    public const string Origin = "origin";
    public const string BadToken = "bad_token";
    public const string TokenUser = "token_user";
    public const string Capacity = "capacity";
    public const string HandshakeTimeout = "handshake_timeout";
    public const string FrameTooLarge = "frame_too_large";
    public const string BinaryFrame = "binary_frame";
    public const string BadFrame = "bad_frame";
    public const string RateLimited = "rate_limited";
    public const string RateLimitAbuse = "rate_limit_abuse";
}
