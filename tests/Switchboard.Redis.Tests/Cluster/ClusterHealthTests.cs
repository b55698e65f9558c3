using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Redis.Tests.Connections;

namespace Switchboard.Redis.Tests.Cluster;

/// <summary>
/// On a 3-master Redis Cluster: the Redis check sees every primary, and the queues check reads the statistics of queues
/// whose keys live on different shards (one script per queue, one hash slot each).
/// </summary>
[RedisCluster]
public sealed class ClusterHealthTests(RedisClusterFixture redis) : IClassFixture<RedisClusterFixture>
{
    [Fact]
    public async Task EveryPrimaryIsCheckedAndEveryQueueRead()
    {
        await using var hosts = new RedisTestHosts();
        var host = await hosts.StartAsync(
            s => s.AddRedis(redis.Configuration, o => o.Prefix = redis.Prefix + "health:"),
            services => services.AddHealthChecks().AddSwitchboard());
        var queues = host.Services.GetRequiredService<ISwitchboardQueues>();
        var dead = host.Services.GetRequiredService<IDeadLetterQueue>();
        foreach (var queue in queues.QueueNames)
        {
            await dead.DeadLetterAsync(RedisQueueProcesses.NewJob(queue, "dead-" + queue), "r", default);
        }

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(3, report.Entries["switchboard-redis"].Data["primaries"]);
        Assert.Equal(0, report.Entries["switchboard-redis"].Data["primaries_unreachable"]);
        Assert.All(await queues.GetQueuesAsync(default), q => Assert.Equal(1, q.DeadLetters));
        var deleted = await Task.WhenAll(queues.QueueNames.Select(q => queues.DeleteDeadLettersAsync(q, default).AsTask()));
        Assert.All(deleted, count => Assert.Equal(1, count));
    }
}
