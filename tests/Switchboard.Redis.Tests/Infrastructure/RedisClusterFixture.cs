namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// Class fixture on the Redis Cluster named by <c>SWITCHBOARD_TEST_REDIS_CLUSTER</c> (classes using it carry
/// <see cref="RedisClusterAttribute"/>), with a key prefix of the class's own, as <see cref="RedisFixture"/>.
/// </summary>
public sealed class RedisClusterFixture : RedisFixture
{
    protected override Task<string?> GetConfigurationAsync() => Task.FromResult(RedisAvailability.ClusterConfiguration);
}
