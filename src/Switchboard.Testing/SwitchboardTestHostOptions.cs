namespace Switchboard.Testing;

/// <summary>How a <see cref="SwitchboardTestHost"/> runs the app (docs/testing.md).</summary>
public sealed class SwitchboardTestHostOptions
{
    /// <summary>Whether workers run jobs (<see cref="TestJobs.Inline"/>, the default) or the test does (<see cref="TestJobs.Stepped"/>).</summary>
    public TestJobs Jobs { get; set; } = TestJobs.Inline;

    /// <summary>
    /// The time the fake clock (<see cref="SwitchboardTestHost.Time"/>) starts at. The default value is
    /// 2026-01-01 00:00 UTC: a fixed time, so a test reads the same on any day.
    /// </summary>
    public DateTimeOffset StartTime { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The bound of every wait of the host (<see cref="SwitchboardTestHost.WhenIdleAsync"/>,
    /// <see cref="SwitchboardTestHost.WaitForSentAsync"/>, an invoke's result), in real time. The default value is 10 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Changes Switchboard's options after the app's own registration (what the test sets wins); none by default.</summary>
    public Action<SwitchboardOptions>? Switchboard { get; set; }

    /// <summary>Whether the host's hosted services start (Switchboard's unit tests inspect the services unstarted).</summary>
    internal bool StartHostedServices { get; set; } = true;
}
