using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Every Redis key and channel name, built here and nowhere else. Channels are never patterns. Every key a script touches
/// carries the hash tag of its topic, queue or presence topic: one script, one Redis Cluster hash slot.
/// </summary>
internal sealed class RedisNames(string prefix)
{
    public const string ConsumerGroup = "workers";
    public const string JobField = "job";

    /// <summary>The field of a stream entry that is first in a line: the line's ordering key.</summary>
    public const string OrderingKeyField = "o";

    public string Prefix { get; } = prefix;

    /// <summary>
    /// The keys and the channel of one topic start with a hash tag of their own, <c>{t:TOPIC}</c>, so a publish (a script
    /// that sequences, appends to the history and publishes) touches one Redis Cluster hash slot, and its sharded channel
    /// (<c>SPUBLISH</c>) lives on the shard that holds the topic's keys.
    /// </summary>
    private string TopicTag(string topic) => Prefix + "{t:" + topic + "}";

    private const string ChannelSuffix = ":ch";

    /// <summary>The name of a topic's channel (literal; sharded on a cluster, see <see cref="RedisClusterMode"/>).</summary>
    public string Channel(string topic) => TopicTag(topic) + ChannelSuffix;

    public string TopicOf(RedisChannel channel)
    {
        var name = channel.ToString();
        return name[(Prefix.Length + 3)..^(ChannelSuffix.Length + 1)];
    }

    public RedisKey Topics(string windowKey) => Prefix + "topics:" + windowKey;

    /// <summary>A topic's sequence and epoch (hash: seq, epoch, r = last expiry renewal).</summary>
    public RedisKey TopicMeta(string topic) => TopicTag(topic) + ":seq";

    /// <summary>A topic's history (stream with ids 0-seq).</summary>
    public RedisKey TopicHistory(string topic) => TopicTag(topic) + ":h";

    /// <summary>
    /// The keys of one queue start with a hash tag of their own, <c>{q:NAME}</c>, so every key one job operation touches
    /// (stream, delayed set, ordering lines, dead letters) is in one Redis Cluster hash slot.
    /// </summary>
    private string QueueTag(string queue) => Prefix + "{q:" + queue + "}";

    /// <summary>A queue's jobs (stream, consumer group <see cref="ConsumerGroup"/>; entries: job, and o = ordering key).</summary>
    public RedisKey Queue(string queue) => QueueTag(queue);

    /// <summary>A queue's jobs that are not due yet (sorted set, score = due time in Unix ms; members: job, or job \n ordering key).</summary>
    public RedisKey Delayed(string queue) => QueueTag(queue) + ":delayed";

    /// <summary>The line of one ordering key on a queue (list of "due|job", the first is in the stream or the delayed set).</summary>
    public RedisKey Line(string queue, string orderingKey) => QueueTag(queue) + ":o:" + orderingKey;

    /// <summary>A queue's dead letters (stream; entries: job, reason).</summary>
    public RedisKey DeadLetters(string queue) => QueueTag(queue) + ":dead";

    public RedisKey DataProtectionKeys => Prefix + "dataprotection-keys";

    /// <summary>The keys of one presence topic start with a hash tag of their own, <c>{p:TOPIC}</c> (one slot per topic).</summary>
    private string PresenceTag(string topic) => Prefix + "{p:" + topic + "}";

    /// <summary>A topic's presence entries (sorted set, score = expiry in Unix ms of the writer's clock).</summary>
    public RedisKey PresenceEntries(string topic) => PresenceTag(topic) + ":w";

    /// <summary>A topic's entry count per user (hash: user group → count), so joins and last leaves are atomic.</summary>
    public RedisKey PresenceUsers(string topic) => PresenceTag(topic) + ":u";

    /// <summary>Every presence topic with the latest expiry written to it (sorted set): abandoned topics are below now.</summary>
    public RedisKey PresenceTopics => Prefix + "presence:topics";
}
