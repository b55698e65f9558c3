using Microsoft.Extensions.Hosting;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Connections;

/// <summary>
/// The queues on one redis-server (Q), the browser side on another (B), in one process: jobs land in Q's streams only,
/// browser-side keys in B only, and each role has its own multiplexer.
/// </summary>
public sealed class RedisSeparateRolesTests : IAsyncLifetime
{
    private readonly RedisTestHosts _hosts = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _hosts.DisposeAsync();

    [RedisFact(NeedsServer = true)]
    public async Task JobsGoToTheQueuesServerAndBrowserKeysToTheOther()
    {
        await using var browser = await RedisServer.StartAsync();
        await using var queues = await RedisServer.StartAsync(password: "queues-secret");
        var host = await _hosts.StartAsync(b => b.AddRedis(browser.Configuration, o =>
        {
            RedisTestHosts.Quick(o, "roles:");
            o.QueuesConfiguration = queues.Configuration;
        }));

        await _hosts.PingAsync(host, "queued on Q");
        // A window's topics are browser-side state (the topic store).
        await host.Services.GetRequiredService<ITopicStore>().SetAsync("window-1", ["room:roles"], TimeSpan.FromMinutes(1), default);

        var roles = host.Services.GetRequiredService<RedisRoles>();
        Assert.True(roles.SeparateQueues);
        Assert.NotSame(await roles.Browser.GetAsync(), await roles.Queues.GetAsync());

        var onQ = await KeysAsync(queues);
        var onB = await KeysAsync(browser);
        Assert.Contains("roles:{q:default}", onQ);
        Assert.All(onQ, k => Assert.StartsWith("roles:{q:", k, StringComparison.Ordinal));
        Assert.DoesNotContain(onB, k => k.Contains("{q:", StringComparison.Ordinal));
        Assert.Contains("roles:topics:window-1", onB);
        Assert.DoesNotContain(_hosts.Logs.GetSnapshot(), r => r.Message.Contains("queues-secret", StringComparison.Ordinal));
    }

    private static async Task<List<string>> KeysAsync(RedisServer server)
    {
        await using var raw = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        return [.. raw.GetServer(raw.GetEndPoints()[0]).Keys(pattern: "*").Select(k => k.ToString())];
    }
}
