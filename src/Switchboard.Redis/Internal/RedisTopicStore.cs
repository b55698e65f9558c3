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
}
