namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>The dashboard across processes on one redis-server.</summary>
public sealed class DashboardProcessTests(RedisFixture redis, ITestOutputHelper output) : DashboardAcrossProcesses<RedisFixture>(redis, output);
