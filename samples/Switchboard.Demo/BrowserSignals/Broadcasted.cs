namespace Switchboard.Demo;

/// <summary>A text sent to every connected window by <c>demo.broadcast</c>.</summary>
[BrowserSignal("demo.broadcasted")]
public sealed record Broadcasted(string Text);
