using StackExchange.Redis;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests;

/// <summary>
/// The lease renewal script: renews what this consumer holds, reports what another consumer took, and stays silent about
/// an entry acknowledged meanwhile (the soak run logged event 4304 for acks that crossed a renewal: a false alarm).
/// </summary>
public sealed class RedisRenewScriptTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Me = "worker-a", Other = "worker-b";

    [RedisFact]
    public async Task RenewsOwnEntriesReportsEntriesAnotherConsumerTookAndIgnoresAcknowledgedOnes()
    {
        var stream = redis.QueueKey("renew-" + Guid.NewGuid().ToString("N")[..8]);
        var db = redis.Db;
        await db.StreamCreateConsumerGroupAsync(stream, RedisNames.ConsumerGroup, "0-0", createStream: true);
        var held = await db.StreamAddAsync(stream, "job", "1");
        var acked = await db.StreamAddAsync(stream, "job", "2");
        var taken = await db.StreamAddAsync(stream, "job", "3");
        await db.StreamReadGroupAsync(stream, RedisNames.ConsumerGroup, Me, ">", 10);
        await db.StreamAcknowledgeAsync(stream, RedisNames.ConsumerGroup, acked);
        await db.StreamClaimIdsOnlyAsync(stream, RedisNames.ConsumerGroup, Other, 0, [taken]);

        var lost = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Renew, [stream],
            [RedisNames.ConsumerGroup, Me, held, acked, taken]))!;

        Assert.Equal([taken.ToString()], lost.Select(r => (string)r!));
        var pending = await db.StreamPendingMessagesAsync(stream, RedisNames.ConsumerGroup, 10, RedisValue.Null);
        Assert.Equal(Me, pending.Single(p => p.MessageId == held).ConsumerName.ToString());
        Assert.Equal(Other, pending.Single(p => p.MessageId == taken).ConsumerName.ToString());
        Assert.DoesNotContain(pending, p => p.MessageId == acked);
    }
}
