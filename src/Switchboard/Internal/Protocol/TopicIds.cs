using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Internal.Protocol;

/// <summary>
/// The id of a topic as windows see it: the first 16 hex digits of SHA-1 of the topic string. Windows track positions
/// by id without learning other windows' keys (which WINDOW topics contain). Ids are cached while a local window
/// holds the topic: <see cref="Forget"/> runs when the last one leaves, since every page load brings a new WINDOW topic
/// (kept, the cache grew by ~230 bytes per window ever opened until the backstop cleared it: the soak run's slow leak).
/// </summary>
internal static class TopicIds
{
    private const int CacheLimit = 100_000;
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string Of(string topic)
    {
        if (Cache.TryGetValue(topic, out var id))
        {
            return id;
        }
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(Encoding.UTF8.GetBytes(topic), hash);
        id = Convert.ToHexStringLower(hash[..8]);
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }
        Cache[topic] = id;
        return id;
    }

    /// <summary>Drops a topic's cached id (no local window holds it any more).</summary>
    public static void Forget(string topic) => Cache.TryRemove(topic, out _);

    /// <summary>Whether the id of <paramref name="topic"/> is cached (tests).</summary>
    public static bool IsCached(string topic) => Cache.ContainsKey(topic);
}
