using System.Text.Json;

namespace Switchboard.Redis.Internal;

/// <summary><see cref="ITopicStore"/> in Redis: one string key per window (a JSON list) with a TTL.</summary>
internal sealed class RedisTopicStore(RedisConnection connection) : ITopicStore
{
    public async ValueTask SetAsync(string windowKey, IReadOnlyList<string> topics, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(windowKey);
        var db = await connection.DatabaseAsync();
        await db.StringSetAsync(connection.Names.Topics(windowKey), JsonSerializer.Serialize(topics), timeToLive);
    }

    public async ValueTask<IReadOnlyList<string>?> GetAsync(string windowKey, CancellationToken cancellationToken)
    {
        var db = await connection.DatabaseAsync();
        var value = await db.StringGetAsync(connection.Names.Topics(windowKey));
        return value.IsNull ? null : JsonSerializer.Deserialize<string[]>((string)value!);
    }

    public async ValueTask<IReadOnlyList<string>?> ChangeAsync(string windowKey, IReadOnlyList<string> add, IReadOnlyList<string> remove, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(windowKey);
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        var db = await connection.DatabaseAsync();
        var result = await db.ScriptEvaluateAsync(RedisScripts.ChangeTopics, [connection.Names.Topics(windowKey)],
            [JsonSerializer.Serialize(add), JsonSerializer.Serialize(remove), (long)Math.Max(1, timeToLive.TotalMilliseconds)]);
        return result.IsNull ? null : JsonSerializer.Deserialize<string[]>((string)result!);
    }

    public async ValueTask<bool> RefreshAsync(string windowKey, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(windowKey);
        var db = await connection.DatabaseAsync();
        return await db.KeyExpireAsync(connection.Names.Topics(windowKey), timeToLive);
    }
}
