using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests;

/// <summary>The topic list of a window is one string key <c>{prefix}topics:{windowKey}</c> holding JSON, with a TTL.</summary>
public sealed class RedisTopicStoreKeyTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private RedisConnection? _connection;

    private RedisTopicStore Store => new(_connection!);

    public Task InitializeAsync()
    {
        _connection = RedisAvailability.SkipReason is null ? TestRedis.Connection(redis.Options()) : null;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    [RedisFact]
    public async Task TopicListKeyHasTheTimeToLive()
    {
        var windowKey = Guid.NewGuid().ToString("N");

        await Store.SetAsync(windowKey, ["-broadcast", "-str.room:lobby"], TimeSpan.FromMinutes(10), default).DefaultTimeout();

        var key = redis.Prefix + "topics:" + windowKey;
        var ttl = await redis.Db.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
        Assert.Equal("""["-broadcast","-str.room:lobby"]""", (string?)await redis.Db.StringGetAsync(key));
    }

    [RedisFact]
    public async Task SettingAgainRenewsTheTimeToLive()
    {
        var windowKey = Guid.NewGuid().ToString("N");
        await Store.SetAsync(windowKey, ["-broadcast"], TimeSpan.FromSeconds(30), default).DefaultTimeout();

        await Store.SetAsync(windowKey, ["-broadcast"], TimeSpan.FromHours(10), default).DefaultTimeout();

        var ttl = await redis.Db.KeyTimeToLiveAsync(redis.Prefix + "topics:" + windowKey);
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(10) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(10));
    }

    [RedisFact]
    public async Task KeyWrittenByAnotherProcessIsRead()
    {
        var windowKey = Guid.NewGuid().ToString("N");
        await redis.Db.StringSetAsync(redis.Prefix + "topics:" + windowKey, """["-window.w","-str.x"]""", TimeSpan.FromMinutes(1));

        Assert.Equal(["-window.w", "-str.x"], await Store.GetAsync(windowKey, default).DefaultTimeout());
    }
}
