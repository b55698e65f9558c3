using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Internal.Protocol;

/// <summary>
/// The id of a topic as windows see it: the first 16 hex digits of SHA-1 of the topic string. Windows track positions
/// by id without learning other windows' keys (which WINDOW topics contain).
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
}
