using Microsoft.Extensions.Options;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Registry;

namespace Switchboard.Internal.Operations;

/// <summary><see cref="ISwitchboardQueues"/> over the queue seams (<see cref="IQueueStatistics"/>, <see cref="IDeadLetterQueue"/>).</summary>
internal sealed class SwitchboardQueues(
    IQueueStatistics statistics,
    IDeadLetterQueue deadLetters,
    SignalRegistry registry,
    IOptions<SwitchboardOptions> options) : ISwitchboardQueues
{
    /// <summary>Most dead letters one list call returns.</summary>
    public const int MaxListCount = 10_000;

    private IReadOnlyList<string>? _names;

    public IReadOnlyList<string> QueueNames => _names ??= registry.KnownQueues
        .Concat(options.Value.Workers.Queues)
        .Append(SignalDispatcher.DeliveryQueue)
        .Where(q => !string.IsNullOrEmpty(q))
        .Distinct(StringComparer.Ordinal)
        .ToList();

    public async ValueTask<IReadOnlyList<QueueStatistics>> GetQueuesAsync(CancellationToken cancellationToken)
    {
        // One read per queue, concurrently: on Redis each is one round trip to the queue's own hash slot.
        var reads = QueueNames.Select(q => statistics.GetStatisticsAsync(q, cancellationToken).AsTask()).ToArray();
        return await Task.WhenAll(reads);
    }

    public ValueTask<QueueStatistics> GetQueueAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return statistics.GetStatisticsAsync(queue, cancellationToken);
    }

    public ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string queue, int count, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxListCount);
        return deadLetters.ListDeadLettersAsync(queue, count, cancellationToken);
    }

    public ValueTask<bool> RequeueDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(deadLetterId);
        return deadLetters.RequeueDeadLetterAsync(queue, deadLetterId, cancellationToken);
    }

    public async ValueTask<long> RequeueDeadLettersAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        // The letters there now, listed once: a job that fails again at once is dead-lettered after them and stays.
        var held = (await statistics.GetStatisticsAsync(queue, cancellationToken)).DeadLetters;
        if (held == 0)
        {
            return 0;
        }
        var letters = await deadLetters.ListDeadLettersAsync(queue, (int)Math.Min(held, int.MaxValue), cancellationToken);
        long requeued = 0;
        foreach (var letter in letters)
        {
            if (await deadLetters.RequeueDeadLetterAsync(queue, letter.Id, cancellationToken))
            {
                requeued++;
            }
        }
        return requeued;
    }

    public ValueTask<bool> DeleteDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(deadLetterId);
        return deadLetters.DeleteDeadLetterAsync(queue, deadLetterId, cancellationToken);
    }

    public ValueTask<long> DeleteDeadLettersAsync(string queue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return deadLetters.DeleteDeadLettersAsync(queue, cancellationToken);
    }
}
