namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// A fact that starts a Redis Cluster of its own (<see cref="RedisClusterSet"/>), reported skipped (not passed) when
/// it cannot: no redis-server or redis-cli, or redis-server older than 7 — as the tests on test.sh's cluster are.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RedisClusterSetFactAttribute : FactAttribute
{
    public override string Skip
    {
        get => base.Skip ?? RedisClusterSet.SkipReason!;
        set => base.Skip = value;
    }
}
