namespace Switchboard.Demo;

/// <summary>The progress of <c>demo.slow</c>: step <see cref="Step"/> of <see cref="Steps"/>.</summary>
[BrowserSignal("demo.progress")]
public sealed record Progress(int Step, int Steps);
