using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchboard.Redis.Tests;

/// <summary>
/// Long-lived windows on Redis (docs/windows.md): a connected window's stored topic list outlives its
/// <see cref="SwitchboardOptions.TopicsTimeToLive"/> (its key's TTL renewed, seen through a plain Redis connection) and
/// lapses once its last socket has left. Real time, with a 2 s time to live.
/// </summary>
public sealed class RedisLongLivedWindowTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(2);

    private readonly string _prefix = redis.Prefix + Guid.NewGuid().ToString("N")[..8] + ":";

    [RedisFact]
    public async Task ConnectedWindowsTopicListKeyIsRenewedAndLapsesAfterItsSocketsLeft()
    {
        var app = await StartAsync();
        try
        {
            await RenewedThenLapsesAsync(app);
        }
        finally
        {
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await app.DisposeAsync();
        }
    }

    [RedisFact]
    public async Task TopicListLostWhileTheWindowIsConnectedIsStoredAgain()
    {
        var app = await StartAsync();
        try
        {
            var init = await PageInit.LoadAsync(new Uri(BaseAddress(app), "page?topics=room:1,room:2"));
            var key = Assert.Single(await TopicKeysAsync());
            var stored = (string?)await redis.Db.StringGetAsync(key);
            await using var window = await TestWindow.ConnectAsync(init.SocketUri, init.Token);

            // As a Redis restart without persistence would: the list is gone while its window is connected.
            Assert.True(await redis.Db.KeyDeleteAsync(key));

            await RedisPolling.WaitUntilAsync(async () => await redis.Db.KeyExistsAsync(key), "the list to be stored again", TimeToLive * 2);
            Assert.Equal(stored, (string?)await redis.Db.StringGetAsync(key));
            Assert.InRange((await redis.Db.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMilliseconds(1), TimeToLive);
        }
        finally
        {
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await app.DisposeAsync();
        }
    }

    private async Task RenewedThenLapsesAsync(WebApplication app)
    {
        var page = new Uri(BaseAddress(app), "page?topics=room:1");
        var init = await PageInit.LoadAsync(page);
        var key = Assert.Single(await TopicKeysAsync());
        var window = await TestWindow.ConnectAsync(init.SocketUri, init.Token);

        // Two and a half times the time to live, connected: the key never lapses, and its TTL goes back up again and again.
        var renewals = 0;
        var last = TimeToLive;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeToLive * 2.5)
        {
            var ttl = await redis.Db.KeyTimeToLiveAsync(key);
            Assert.True(ttl is not null, $"the topic list expired {clock.ElapsedMilliseconds} ms after connecting, the window still connected");
            if (ttl.Value > last + TimeSpan.FromMilliseconds(100))
            {
                renewals++;
            }
            last = ttl.Value;
            await Task.Delay(50);
        }
        output.WriteLine($"{renewals} renewals seen in {clock.ElapsedMilliseconds} ms");
        Assert.InRange(renewals, 3, 100);

        // A new connection of the window, long after the list's original time to live, still gets its topics.
        var again = await TestWindow.ConnectAsync(init.SocketUri, init.Token);
        await app.Services.GetRequiredService<ISignals>().CallAsync(null, "test.room", to: ["room:1"]);
        await again.NextSignalAsync("test.room");

        await window.CloseAsync();
        await again.CloseAsync();
        await window.DisposeAsync();
        await again.DisposeAsync();
        clock.Restart();
        await RedisPolling.WaitUntilAsync(async () => !await redis.Db.KeyExistsAsync(key), "the closed page's topic list to expire", TimeToLive * 3);
        output.WriteLine($"the list expired {clock.ElapsedMilliseconds} ms after the sockets closed");
        var late = await TestWindow.ConnectAsync(init.SocketUri, init.Token);
        Assert.False(await redis.Db.KeyExistsAsync(key), "a reconnect never brings back an expired list");
        await late.DisposeAsync();
    }

    private async Task<RedisKey[]> TopicKeysAsync()
    {
        var server = redis.Raw.GetServers().First(s => s.IsConnected);
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: _prefix + "topics:*"))
        {
            keys.Add(key);
        }
        return [.. keys];
    }

    private static Uri BaseAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().TrimEnd('/') + "/");

    private async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new LogCapture(output));
        builder.Services.AddSwitchboard(o => o.TopicsTimeToLive = TimeToLive)
            .AddRedis(redis.Configuration, o => o.Prefix = _prefix);
        var app = builder.Build();
        app.UseSwitchboard();
        app.MapSwitchboard();
        app.MapGet("/page", async (HttpContext http, string topics) =>
        {
            http.SetWebSocketTopics([.. topics.Split(',')]);
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync("<!doctype html><html><body>" + http.SwitchboardInitHtml() + "</body></html>");
        });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return app;
    }
}
