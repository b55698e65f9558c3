namespace Switchboard.Demo;

/// <summary>Sent back by <c>demo.staff_only</c> to the staff window that called it.</summary>
[BrowserSignal("demo.staff_done")]
public sealed record StaffDone(string? By);
