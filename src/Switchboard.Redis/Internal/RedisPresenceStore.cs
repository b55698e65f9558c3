using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// <see cref="IPresenceStore"/> in Redis: per topic a sorted set of entries (score = expiry, Unix ms of the writer's
/// clock) and a hash counting each user's entries, changed together by Lua scripts; plus one sorted set of topics with
/// the latest expiry written to each, where topics no node renews any more are found.
/// </summary>
internal sealed class RedisPresenceStore(RedisConnection connection) : IPresenceStore
{
    /// <summary>Expired entries removed by one sweep call at most; the rest go at the next sweep.</summary>
    private const int SweepBatch = 1000;

    public async ValueTask<bool> AddAsync(PresenceEntry entry, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var names = connection.Names;
        var db = await connection.DatabaseAsync();
        var score = expires.ToUnixTimeMilliseconds();
        var indexed = db.SortedSetAddAsync(names.PresenceTopics, entry.Topic, score, SortedSetWhen.GreaterThan);
        var joined = db.ScriptEvaluateAsync(RedisPresenceScripts.Add, [names.PresenceEntries(entry.Topic), names.PresenceUsers(entry.Topic)],
            [Member(entry), score, Group(entry), RedisPresenceScripts.KeyTimeToLiveMs]);
        await indexed;
        return (long)(await joined) == 1;
    }

    public async ValueTask<bool> RemoveAsync(PresenceEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var names = connection.Names;
        var db = await connection.DatabaseAsync();
        var left = await db.ScriptEvaluateAsync(RedisPresenceScripts.Remove, [names.PresenceEntries(entry.Topic), names.PresenceUsers(entry.Topic)],
            [Member(entry), Group(entry)]);
        return (long)left == 1;
    }

    public async ValueTask<IReadOnlyList<PresenceEntry>> GetAsync(string topic, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = await connection.DatabaseAsync();
        var members = await db.SortedSetRangeByScoreAsync(connection.Names.PresenceEntries(topic),
            now.ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.Start);
        return [.. members.Select(m => Parse(topic, m.ToString()))];
    }

    public async ValueTask<PresenceSweep> SweepAsync(string topic, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var names = connection.Names;
        var db = await connection.DatabaseAsync();
        var result = (RedisResult[]?)await db.ScriptEvaluateAsync(RedisPresenceScripts.Sweep,
            [names.PresenceEntries(topic), names.PresenceUsers(topic)], [now.ToUnixTimeMilliseconds(), SweepBatch]) ?? [];
        var removed = Strings(result[0]);
        if (removed.Length == 0)
        {
            return PresenceSweep.Empty;
        }
        return new PresenceSweep([.. removed.Select(m => Parse(topic, m))], [.. Strings(result[1]).Select(m => Parse(topic, m))]);
    }

    public async ValueTask<IReadOnlyList<string>> TakeAbandonedTopicsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var db = await connection.DatabaseAsync();
        var result = await db.ScriptEvaluateAsync(RedisPresenceScripts.TakeAbandoned, [connection.Names.PresenceTopics],
            [now.ToUnixTimeMilliseconds(), max]);
        return Strings(result);
    }

    private static string[] Strings(RedisResult result) => [.. ((string?[]?)result ?? []).Select(s => s ?? "")];

    /// <summary>The user an entry counts for: anonymous entries all count as one.</summary>
    private static string Group(PresenceEntry entry) => entry.UserId is { } id ? "u:" + id : "a";

    private static string Member(PresenceEntry entry)
    {
        var group = Group(entry);
        string?[] fields = [entry.Node, entry.Socket, entry.UserId, entry.UserName, entry.Data];
        return "#" + Encoding.UTF8.GetByteCount(group).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + group + JsonSerializer.Serialize(fields);
    }

    private static PresenceEntry Parse(string topic, string member)
    {
        var colon = member.IndexOf(':', StringComparison.Ordinal);
        var groupBytes = int.Parse(member.AsSpan(1, colon - 1), System.Globalization.CultureInfo.InvariantCulture);
        // The group's length is in UTF-8 bytes: skip that many bytes of the text after the colon.
        var rest = Encoding.UTF8.GetBytes(member[(colon + 1)..]);
        var fields = JsonSerializer.Deserialize<string?[]>(rest.AsSpan(groupBytes))!;
        return new PresenceEntry(topic, fields[0]!, fields[1]!, fields[2], fields[3], fields[4]);
    }
}
