namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// Where the tests find Redis behind Sentinel. <c>SWITCHBOARD_TEST_REDIS_SENTINEL</c> is a StackExchange.Redis connection
/// string naming Sentinels and the service (<c>127.0.0.1:26379,serviceName=switchboard</c>; test.sh starts a master, a
/// replica and a Sentinel and sets it); otherwise a private set is started (<see cref="RedisSentinelSet"/>), which needs
/// the redis-server binary.
/// </summary>
internal static class SentinelAvailability
{
    public const string Variable = "SWITCHBOARD_TEST_REDIS_SENTINEL";

    /// <summary>The deployment named by <c>SWITCHBOARD_TEST_REDIS_SENTINEL</c>, or null.</summary>
    public static string? SharedConfiguration =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>Why no Sentinel test can run (none named and no redis-server to start one), or null.</summary>
    public static string? SkipReason => SharedConfiguration is null && RedisAvailability.ServerBinary is null
        ? $"Redis Sentinel unavailable: {Variable} is not set and redis-server is not installed to start one (apt-get install redis-server)."
        : null;
}

/// <summary>A fact that is skipped (not passed) when no Sentinel deployment is available; <see cref="NeedsServer"/>: when redis-server is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SentinelFactAttribute : FactAttribute
{
    /// <summary>The test starts a deployment of its own (to kill its master).</summary>
    public bool NeedsServer { get; set; }

    public override string Skip
    {
        get => base.Skip ?? SentinelAvailability.SkipReason ?? (NeedsServer ? RedisAvailability.ServerSkipReason : null)!;
        set => base.Skip = value;
    }
}

/// <summary>
/// Marks a test class that runs on Redis behind Sentinel: <see cref="RedisTestFramework"/> reports its tests (the
/// inherited conformance facts included) as skipped when <see cref="SentinelAvailability.SkipReason"/> is set.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class SentinelTestsAttribute : Attribute
{
}
