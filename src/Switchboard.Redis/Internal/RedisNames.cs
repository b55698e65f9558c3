using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>Every Redis key and channel name, built here and nowhere else. Channels are always literal.</summary>
internal sealed class RedisNames(string prefix)
{
    public const string ConsumerGroup = "workers";
    public const string JobField = "job";

    public string Prefix { get; } = prefix;

    public RedisChannel Channel(string topic) => RedisChannel.Literal(Prefix + "ch:" + topic);

    public string TopicOf(RedisChannel channel)
    {
        var name = channel.ToString();
        return name[(Prefix.Length + 3)..];
    }

    public RedisKey Topics(string windowKey) => Prefix + "topics:" + windowKey;

    /// <summary>A topic's sequence and epoch (hash: seq, epoch).</summary>
    public RedisKey TopicMeta(string topic) => Prefix + "seq:" + topic;

    /// <summary>A topic's history (stream with ids 0-seq).</summary>
    public RedisKey TopicHistory(string topic) => Prefix + "h:" + topic;

    public RedisKey Queue(string queue) => Prefix + "q:" + queue;

    public RedisKey DeadLetters(string queue) => Prefix + "dead:" + queue;

    public RedisKey Delayed => Prefix + "delayed";

    public RedisKey DataProtectionKeys => Prefix + "dataprotection-keys";
}
