namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// Where the tests find Redis. <c>SWITCHBOARD_TEST_REDIS=HOST:PORT</c> names a running server (test.sh starts one);
/// otherwise a private <c>redis-server</c> is started. Tests that restart Redis always start their own server, so they
/// need the binary (<c>SWITCHBOARD_TEST_REDIS_SERVER</c> overrides its path; point it at a missing file to see the skips).
/// </summary>
internal static class RedisAvailability
{
    public const string SharedVariable = "SWITCHBOARD_TEST_REDIS";
    public const string BinaryVariable = "SWITCHBOARD_TEST_REDIS_SERVER";
    public const string ClusterVariable = "SWITCHBOARD_TEST_REDIS_CLUSTER";

    private static readonly Lazy<string?> Binary = new(FindBinary);

    /// <summary>The shared server named by <c>SWITCHBOARD_TEST_REDIS</c>, or null.</summary>
    public static string? SharedConfiguration =>
        Environment.GetEnvironmentVariable(SharedVariable) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>The seed endpoints of a Redis Cluster named by <c>SWITCHBOARD_TEST_REDIS_CLUSTER</c> (test.sh starts one), or null.</summary>
    public static string? ClusterConfiguration =>
        Environment.GetEnvironmentVariable(ClusterVariable) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>Why the Redis Cluster tests cannot run, or null.</summary>
    public static string? ClusterSkipReason => ClusterConfiguration is null
        ? $"Redis Cluster unavailable: {ClusterVariable} is not set (test.sh starts a 3-master cluster and sets it)."
        : null;

    /// <summary>The redis-server executable, or null when it is not installed.</summary>
    public static string? ServerBinary => Binary.Value;

    /// <summary>Why no test can run (no shared server and no binary), or null.</summary>
    public static string? SkipReason => SharedConfiguration is null && ServerBinary is null
        ? $"Redis unavailable: {SharedVariable} is not set and redis-server is not installed (apt-get install redis-server)."
        : null;

    /// <summary>Why tests that start their own redis-server cannot run, or null.</summary>
    public static string? ServerSkipReason => ServerBinary is null
        ? "redis-server is not installed (apt-get install redis-server); this test starts and restarts its own server."
        : null;

    private static string? FindBinary()
    {
        if (Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : null;
    }
}

/// <summary>A fact that is skipped (not passed) when no Redis is available; <see cref="NeedsServer"/>: when redis-server is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RedisFactAttribute : FactAttribute
{
    /// <summary>The test starts a redis-server of its own (to stop or restart it).</summary>
    public bool NeedsServer { get; set; }

    public override string Skip
    {
        get => base.Skip ?? RedisAvailability.SkipReason ?? (NeedsServer ? RedisAvailability.ServerSkipReason : null)!;
        set => base.Skip = value;
    }
}

/// <summary>A theory that is skipped (not passed) when no Redis is available.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RedisTheoryAttribute : TheoryAttribute
{
    public override string Skip
    {
        get => base.Skip ?? RedisAvailability.SkipReason!;
        set => base.Skip = value;
    }
}
