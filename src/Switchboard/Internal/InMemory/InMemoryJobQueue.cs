using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.InMemory;

/// <summary>
/// The in-memory <see cref="IJobQueue"/>: one bounded channel per queue (full = callers wait, nothing is dropped)
/// and one timer for all delayed jobs. Jobs do not survive the process; use Switchboard.Redis for that.
/// </summary>
internal sealed class InMemoryJobQueue : IJobQueue, IDeadLetterQueue, IDisposable
{
    private readonly ConcurrentDictionary<string, Channel<SignalJob>> _queues = new(StringComparer.Ordinal);
    private readonly PriorityQueue<SignalJob, DateTimeOffset> _delayed = new();
    private readonly Lock _delayedGate = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly ITimer _timer;
    private DateTimeOffset _timerDue = DateTimeOffset.MaxValue;
    private readonly ConcurrentDictionary<string, LinkedList<DeadLetter>> _dead = new(StringComparer.Ordinal);
    private long _deadSequence;

    /// <summary>Dead letters kept per queue; the oldest are dropped past it (in memory nothing survives a restart anyway).</summary>
    public const int DeadLetterCapacity = 10_000;

    public InMemoryJobQueue(TimeProvider time, IOptions<SwitchboardOptions> options)
    {
        _time = time;
        _capacity = options.Value.Workers.QueueCapacity;
        _timer = time.CreateTimer(_ => ReleaseDueJobs(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public ValueTask EnqueueAsync(SignalJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var channel = GetQueue(job.Queue);
        if (job.NotBefore is { } due && due > _time.GetUtcNow())
        {
            lock (_delayedGate)
            {
                _delayed.Enqueue(job, due);
                if (due < _timerDue)
                {
                    _timerDue = due;
                    _timer.Change(Max(due - _time.GetUtcNow(), TimeSpan.Zero), Timeout.InfiniteTimeSpan);
                }
            }
            return ValueTask.CompletedTask;
        }
        return channel.Writer.WriteAsync(job, cancellationToken);
    }

    public ValueTask<JobLease> DequeueAsync(string queue, CancellationToken cancellationToken)
    {
        // A job already waiting is handed out synchronously: no async state machine, no wait.
        var reader = GetQueue(queue).Reader;
        return reader.TryRead(out var job) ? new ValueTask<JobLease>(new JobLease(job)) : WaitAsync(reader, cancellationToken);

        static async ValueTask<JobLease> WaitAsync(ChannelReader<SignalJob> reader, CancellationToken cancellationToken) =>
            new JobLease(await reader.ReadAsync(cancellationToken));
    }

    public ValueTask CompleteAsync(JobLease lease, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask AbandonAsync(JobLease lease, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var retry = lease.Job.WithAttempt(lease.Job.Attempt + 1, delay > TimeSpan.Zero ? _time.GetUtcNow() + delay : null);
        return EnqueueAsync(retry, cancellationToken);
    }

    public ValueTask DeadLetterAsync(SignalJob job, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }
        var list = _dead.GetOrAdd(job.Queue, _ => new LinkedList<DeadLetter>());
        lock (list)
        {
            list.AddLast(new DeadLetter(Interlocked.Increment(ref _deadSequence).ToString(CultureInfo.InvariantCulture), job, reason));
            if (list.Count > DeadLetterCapacity)
            {
                list.RemoveFirst();
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string queue, int count, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<IReadOnlyList<DeadLetter>>(cancellationToken);
        }
        if (!_dead.TryGetValue(queue, out var list))
        {
            return ValueTask.FromResult<IReadOnlyList<DeadLetter>>([]);
        }
        lock (list)
        {
            return ValueTask.FromResult<IReadOnlyList<DeadLetter>>(list.Take(count).ToList());
        }
    }

    public async ValueTask<bool> RequeueDeadLetterAsync(string queue, string deadLetterId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_dead.TryGetValue(queue, out var list))
        {
            return false;
        }
        // Taken out under the lock, so concurrent calls requeue it once.
        DeadLetter? found;
        lock (list)
        {
            found = list.FirstOrDefault(d => d.Id == deadLetterId);
            if (found?.Job is null)
            {
                return false;
            }
            list.Remove(found);
        }
        try
        {
            await EnqueueAsync(found.Job.WithAttempt(0, null), cancellationToken);
        }
        catch
        {
            // Cancelled (or failed) while waiting for room on a full queue: the dead letter stays, in its place.
            lock (list)
            {
                var sequence = SequenceOf(found);
                var next = list.First;
                while (next is not null && SequenceOf(next.Value) < sequence)
                {
                    next = next.Next;
                }
                if (next is null)
                {
                    list.AddLast(found);
                }
                else
                {
                    list.AddBefore(next, found);
                }
            }
            throw;
        }
        return true;
    }

    private static long SequenceOf(DeadLetter letter) => long.Parse(letter.Id, CultureInfo.InvariantCulture);

    public void Dispose() => _timer.Dispose();

    private Channel<SignalJob> GetQueue(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _queues.GetOrAdd(name, static (_, capacity) =>
            Channel.CreateBounded<SignalJob>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait }), _capacity);
    }

    private void ReleaseDueJobs()
    {
        var due = new List<SignalJob>();
        lock (_delayedGate)
        {
            var now = _time.GetUtcNow();
            while (_delayed.TryPeek(out var job, out var at) && at <= now)
            {
                _delayed.Dequeue();
                due.Add(job);
            }
            if (_delayed.TryPeek(out _, out var next))
            {
                _timerDue = next;
                _timer.Change(Max(next - now, TimeSpan.Zero), Timeout.InfiniteTimeSpan);
            }
            else
            {
                _timerDue = DateTimeOffset.MaxValue;
            }
        }
        foreach (var job in due)
        {
            var writer = GetQueue(job.Queue).Writer;
            if (!writer.TryWrite(job))
            {
                // Full queue: wait for room rather than drop the job.
                _ = writer.WriteAsync(job).AsTask();
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
