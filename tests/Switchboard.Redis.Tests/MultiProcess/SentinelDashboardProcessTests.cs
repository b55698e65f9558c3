namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>The dashboard across processes, every process connected through Sentinel.</summary>
[SentinelTests]
public sealed class SentinelDashboardProcessTests(SentinelFixture redis, ITestOutputHelper output)
    : DashboardAcrossProcesses<SentinelFixture>(redis, output);
