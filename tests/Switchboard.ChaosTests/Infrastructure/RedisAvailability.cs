namespace Switchboard.ChaosTests.Infrastructure;

/// <summary>
/// The chaos test restarts Redis, so it always starts a redis-server of its own: it needs the binary
/// (<c>SWITCHBOARD_TEST_REDIS_SERVER</c> overrides its path; point it at a missing file to see the skip).
/// </summary>
internal static class RedisAvailability
{
    public const string BinaryVariable = "SWITCHBOARD_TEST_REDIS_SERVER";

    private static readonly Lazy<string?> Binary = new(FindBinary);

    /// <summary>The redis-server executable, or null when it is not installed.</summary>
    public static string? ServerBinary => Binary.Value;

    /// <summary>Why the test cannot run, or null.</summary>
    public static string? ServerSkipReason => ServerBinary is null
        ? "redis-server is not installed (apt-get install redis-server); the chaos test starts and restarts its own server."
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

/// <summary>A fact that is skipped (not passed) when redis-server is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ChaosFactAttribute : FactAttribute
{
    public override string Skip
    {
        get => base.Skip ?? RedisAvailability.ServerSkipReason!;
        set => base.Skip = value;
    }
}
