namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// The Sentinel deployment every Sentinel test class shares: the one named by <c>SWITCHBOARD_TEST_REDIS_SENTINEL</c>, else
/// one private <see cref="RedisSentinelSet"/> for the whole run (started on first use, stopped at the end of the run by
/// <see cref="RedisTestFramework"/>, or killed when the process exits before that). Never failed over: failover tests
/// start a set of their own.
/// </summary>
internal static class SharedSentinel
{
    public static SharedDeployment<RedisSentinelSet> Instance { get; } = new(
        () => SentinelAvailability.SharedConfiguration, () => RedisSentinelSet.StartAsync(), s => s.Configuration, s => s.Kill());

    public static Task<string> GetConfigurationAsync() => Instance.GetConfigurationAsync();

    public static Task StopAsync() => Instance.StopAsync();
}

/// <summary>
/// Class fixture on the shared Sentinel deployment, connected through Sentinel (service name), with a key prefix of the
/// test class's own, as <see cref="RedisFixture"/>; its raw connection also goes through Sentinel, so it talks to the
/// current master. Classes using it carry <see cref="SentinelTestsAttribute"/>.
/// </summary>
public sealed class SentinelFixture : RedisFixture
{
    protected override async Task<string?> GetConfigurationAsync() =>
        SentinelAvailability.SkipReason is null ? await SharedSentinel.GetConfigurationAsync() : null;
}
