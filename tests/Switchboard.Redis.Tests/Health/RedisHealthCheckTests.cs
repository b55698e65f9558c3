using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Switchboard.Redis.Tests.Connections;

namespace Switchboard.Redis.Tests.Health;

/// <summary>The Redis checks that <c>AddHealthChecks().AddSwitchboard()</c> adds with the Redis backend: one per Redis role.</summary>
public sealed class RedisHealthCheckTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    [RedisFact(NeedsServer = true)]
    public async Task WithTheQueuesOnTheirOwnRedisEachRoleIsCheckedApart()
    {
        await using var queuesServer = await RedisServer.StartAsync();
        await using var hosts = new RedisTestHosts();
        var host = await hosts.StartAsync(
            s => s.AddRedis(redis.Configuration, o =>
            {
                o.Prefix = redis.Prefix;
                o.QueuesConfiguration = queuesServer.Configuration;
            }),
            services =>
            {
                // Statistics read again on each probe after 100 ms (5 s by default).
                services.Configure<SwitchboardOptions>(o => o.QueueStatisticsInterval = TimeSpan.FromMilliseconds(100));
                services.AddHealthChecks().AddSwitchboard(o => o.Timeout = TimeSpan.FromSeconds(2), tags: ["ready"]);
            });
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var up = await health.CheckHealthAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal("browser side", up.Entries["switchboard-redis"].Data["roles"]);
        Assert.Equal("queues", up.Entries["switchboard-redis-queues"].Data["roles"]);
        Assert.All(up.Entries.Values, e => Assert.Contains("ready", e.Tags));
        Assert.All(up.Entries.Values, e => Assert.Contains(SwitchboardHealthChecks.Tag, e.Tags));

        await queuesServer.StopAsync();
        HealthReport down = up;
        await RedisPolling.WaitUntilAsync(async () =>
        {
            down = await health.CheckHealthAsync(r => r.Name == "switchboard-redis-queues" || r.Name == "switchboard-redis");
            return down.Entries["switchboard-redis-queues"].Status == HealthStatus.Unhealthy;
        }, "the queues' Redis check to fail", TimeSpan.FromSeconds(30));
        output.WriteLine(down.Entries["switchboard-redis-queues"].Description);

        Assert.Equal(HealthStatus.Healthy, down.Entries["switchboard-redis"].Status);
        Assert.Matches(@"^Redis \(queues\) (is not connected|unreachable)", down.Entries["switchboard-redis-queues"].Description);
        // The queue statistics come from the queues' Redis too.
        HealthReport queues = up;
        await RedisPolling.WaitUntilAsync(async () =>
        {
            queues = await health.CheckHealthAsync(r => r.Name == SwitchboardHealthChecks.Queues);
            return queues.Status == HealthStatus.Unhealthy;
        }, "the queues check to fail", TimeSpan.FromSeconds(30));
        Assert.StartsWith("The queue statistics could not be read", queues.Entries[SwitchboardHealthChecks.Queues].Description, StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task AnApplicationThatAddsOnlyItsOwnChecksGetsNoSwitchboardCheck()
    {
        await using var hosts = new RedisTestHosts();
        var host = await hosts.StartAsync(
            s => s.AddRedis(redis.Configuration, o => o.Prefix = redis.Prefix),
            services => services.AddHealthChecks().AddCheck("app", () => HealthCheckResult.Healthy()));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(["app"], report.Entries.Keys);
    }

    [RedisFact]
    public async Task OneRedisForBothRolesIsOneCheckAndHealthy()
    {
        await using var hosts = new RedisTestHosts();
        var host = await hosts.StartAsync(
            s => s.AddRedis(redis.Configuration, o => o.Prefix = redis.Prefix),
            services => services.AddHealthChecks().AddSwitchboard());

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["switchboard-queues", "switchboard-redis", "switchboard-windows", "switchboard-workers"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("browser side and queues", report.Entries["switchboard-redis"].Data["roles"]);
        Assert.Equal(1, report.Entries["switchboard-workers"].Data["default"]);
    }
}
