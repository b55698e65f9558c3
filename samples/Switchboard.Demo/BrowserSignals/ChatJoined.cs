namespace Switchboard.Demo;

/// <summary>Tells a window it is now in <see cref="Room"/> (after <c>demo.chat.join</c>).</summary>
[BrowserSignal("demo.chat.joined")]
public sealed record ChatJoined(string Room);
