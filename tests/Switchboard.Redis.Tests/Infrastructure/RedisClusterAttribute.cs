namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// Every test of the class runs on the Redis Cluster named by <c>SWITCHBOARD_TEST_REDIS_CLUSTER</c>, and is reported
/// skipped (with the reason) when it is not set — inherited conformance facts included (<see cref="RedisTestFramework"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class RedisClusterAttribute : Attribute;
