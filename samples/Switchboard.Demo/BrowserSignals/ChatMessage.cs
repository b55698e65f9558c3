namespace Switchboard.Demo;

/// <summary>A chat line, sent to every window in its room: <c>df.connect('demo.chat.message', m => m.text)</c> is typed.</summary>
[BrowserSignal("demo.chat.message")]
public sealed record ChatMessage(string Room, string Text, string From);
