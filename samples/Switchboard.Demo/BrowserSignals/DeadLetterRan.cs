namespace Switchboard.Demo;

/// <summary>Sent when <c>demo.dead_letter</c> finally ran (requeued from the dashboard).</summary>
[BrowserSignal("demo.dead_letter.ran")]
public sealed record DeadLetterRan(string Note);
