namespace Switchboard.Demo;

/// <summary>Sent to every window of a user by <c>demo.user.ping</c>.</summary>
[BrowserSignal("demo.user.pinged")]
public sealed record UserPinged(string? From);
