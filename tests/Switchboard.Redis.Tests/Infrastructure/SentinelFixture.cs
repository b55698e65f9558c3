namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// The Sentinel deployment every Sentinel test class shares: the one named by <c>SWITCHBOARD_TEST_REDIS_SENTINEL</c>, else
/// one private <see cref="RedisSentinelSet"/> for the whole run (started on first use, stopped at the end of the run by
/// <see cref="RedisTestFramework"/>, or killed when the process exits before that). Never failed over: failover tests
/// start a set of their own.
/// </summary>
internal static class SharedSentinel
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _configuration;
    private static RedisSentinelSet? _set;

    public static async Task<string> GetConfigurationAsync()
    {
        if (SentinelAvailability.SharedConfiguration is { } shared)
        {
            return shared;
        }
        await Gate.WaitAsync();
        try
        {
            if (_configuration is null)
            {
                var set = await RedisSentinelSet.StartAsync();
                (_set, _configuration) = (set, set.Configuration);
                // A run that is aborted never reaches StopAsync.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => set.Kill();
            }
            return _configuration;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Stops the private set, if one was started (the end of the run: nothing uses it any more).</summary>
    public static async Task StopAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_set is { } set)
            {
                (_set, _configuration) = (null, null);
                await set.DisposeAsync();
            }
        }
        finally
        {
            Gate.Release();
        }
    }
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
