using System.Globalization;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary><see cref="IQueueStatistics"/> and the deletion of dead letters, each one command or script on the queue's hash slot.</summary>
internal sealed partial class RedisJobQueue : IQueueStatistics
{
    public async ValueTask<QueueStatistics> GetStatisticsAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        cancellationToken.ThrowIfCancellationRequested();
        var db = await _connection.DatabaseAsync().WaitAsync(cancellationToken);
        var names = _connection.Names;
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(RedisStatisticsScripts.Statistics,
            [names.Queue(queue), names.Delayed(queue), names.DeadLetters(queue)], [RedisNames.ConsumerGroup]).WaitAsync(cancellationToken))!;
        var oldest = (string?)result[2];
        TimeSpan? age = string.IsNullOrEmpty(oldest) ? null : AgeOf(oldest);
        return new QueueStatistics(queue, (long)result[0], (long)result[1], age, (long)result[3], (long)result[4]);
    }

    /// <summary>How long ago the Redis server added the entry (its id starts with that time in Unix ms); never negative, whatever the clocks' skew.</summary>
    private TimeSpan AgeOf(string entryId)
    {
        var ms = long.Parse(entryId.AsSpan(0, entryId.IndexOf('-', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return age > TimeSpan.Zero ? age : TimeSpan.Zero;
    }

    public async ValueTask<bool> DeleteDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!IsEntryId(deadLetterId))
        {
            return false;
        }
        var db = await _connection.DatabaseAsync();
        return await db.StreamDeleteAsync(_connection.Names.DeadLetters(queue), [deadLetterId]) == 1;
    }

    public async ValueTask<long> DeleteDeadLettersAsync(string queue, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var db = await _connection.DatabaseAsync();
        return (long)await db.ScriptEvaluateAsync(RedisStatisticsScripts.DeleteDeadLetters, [_connection.Names.DeadLetters(queue)]);
    }
}
