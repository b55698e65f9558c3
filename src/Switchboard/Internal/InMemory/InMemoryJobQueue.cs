using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.InMemory;

/// <summary>
/// The in-memory <see cref="IJobQueue"/>: one bounded channel per queue (full = callers wait, nothing is dropped)
/// and one timer for all delayed jobs. Jobs with an ordering key wait in their key's line (<see cref="Line"/>) and go
/// to the channel one at a time, when first in line; at most the queue capacity of them wait per queue (callers wait
/// beyond). Jobs do not survive the process; use Switchboard.Redis for that.
/// </summary>
internal sealed partial class InMemoryJobQueue : IJobQueue, IDeadLetterQueue, IQueueStatistics, IDisposable
{
    private readonly ConcurrentDictionary<string, QueueState> _queues = new(StringComparer.Ordinal);
    private readonly PriorityQueue<JobLease, DateTimeOffset> _delayed = new();
    private readonly Lock _delayedGate = new();
    private readonly Dictionary<(string Queue, string Key), Line> _lines = [];
    private readonly Lock _linesGate = new();
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
        var queue = GetQueue(job.Queue);
        if (job.OrderingKey is not null)
        {
            return EnqueueInLineAsync(queue, job, cancellationToken);
        }
        var lease = new JobLease(job, new LeaseToken());
        return Delay(lease) ? ValueTask.CompletedTask : queue.Channel.Writer.WriteAsync(Available(lease), cancellationToken);
    }

    /// <summary>
    /// A job with an ordering key takes one of its queue's slots (waiting when all are taken), held until it leaves its
    /// line, then goes to the end of the line; first in line, it is released to the channel at once.
    /// </summary>
    private async ValueTask EnqueueInLineAsync(QueueState queue, SignalJob job, CancellationToken cancellationToken)
    {
        await queue.Slots.WaitAsync(cancellationToken);
        JobLease first;
        lock (_linesGate)
        {
            var key = (job.Queue, job.OrderingKey!);
            if (_lines.TryGetValue(key, out var line))
            {
                (line.Waiting ??= new Queue<SignalJob>()).Enqueue(job);
                return;
            }
            first = new JobLease(job, new LeaseToken());
            _lines[key] = new Line(first.State!);
        }
        Release(queue, first);
    }

    public ValueTask<JobLease> DequeueAsync(string queue, CancellationToken cancellationToken)
    {
        // A job already waiting is handed out synchronously: no async state machine, no wait.
        var state = GetQueue(queue);
        return state.Channel.Reader.TryRead(out var lease) ? new ValueTask<JobLease>(HandOut(state, lease)) : WaitAsync(state, cancellationToken);

        static async ValueTask<JobLease> WaitAsync(QueueState state, CancellationToken cancellationToken) =>
            HandOut(state, await state.Channel.Reader.ReadAsync(cancellationToken));
    }

    public ValueTask CompleteAsync(JobLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        Settle(lease);
        if (lease.Job.OrderingKey is not null)
        {
            Advance(lease, retry: null);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask AbandonAsync(JobLease lease, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        Settle(lease);
        var retry = lease.Job.WithAttempt(lease.Job.Attempt + 1, delay > TimeSpan.Zero ? _time.GetUtcNow() + delay : null);
        if (lease.Job.OrderingKey is not null && Advance(lease, retry))
        {
            return ValueTask.CompletedTask;
        }
        // Not (or no longer) first in line: the retry goes in as a new job.
        return EnqueueAsync(retry, cancellationToken);
    }

    /// <summary>
    /// The job of <paramref name="lease"/> left its line's head: the next job of the line (or <paramref name="retry"/>,
    /// which keeps the place) is released. False when the lease is not its line's head (completed already).
    /// </summary>
    private bool Advance(JobLease lease, SignalJob? retry)
    {
        var queue = GetQueue(lease.Job.Queue);
        JobLease? next = null;
        lock (_linesGate)
        {
            var key = (lease.Job.Queue, lease.Job.OrderingKey!);
            if (lease.State is null || !_lines.TryGetValue(key, out var line) || !ReferenceEquals(line.Head, lease.State))
            {
                return false;
            }
            if (retry is not null)
            {
                next = new JobLease(retry, line.Head = new LeaseToken());
            }
            else
            {
                queue.Slots.Release();
                if (line.Waiting is { } waitingJobs && waitingJobs.TryDequeue(out var waiting))
                {
                    next = new JobLease(waiting, line.Head = new LeaseToken());
                }
                else
                {
                    _lines.Remove(key);
                }
            }
        }
        if (next is not null)
        {
            Release(queue, next);
        }
        return true;
    }

    /// <summary>Hands a first-in-line job to its channel (or the delayed jobs) without waiting: its slot bounds it.</summary>
    private void Release(QueueState queue, JobLease lease)
    {
        if (!Delay(lease) && !queue.Channel.Writer.TryWrite(Available(lease)))
        {
            _ = queue.Channel.Writer.WriteAsync(lease).AsTask();
        }
    }

    /// <summary>Keeps a job that is not due yet with the delayed jobs; false when it is due.</summary>
    private bool Delay(JobLease lease)
    {
        if (lease.Job.NotBefore is not { } due || due <= _time.GetUtcNow())
        {
            return false;
        }
        Interlocked.Increment(ref GetQueue(lease.Job.Queue).Delayed);
        lock (_delayedGate)
        {
            _delayed.Enqueue(lease, due);
            if (due < _timerDue)
            {
                _timerDue = due;
                _timer.Change(Max(due - _time.GetUtcNow(), TimeSpan.Zero), Timeout.InfiniteTimeSpan);
            }
        }
        return true;
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

    private QueueState GetQueue(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _queues.GetOrAdd(name, static (_, capacity) => new QueueState(capacity), _capacity);
    }

    private void ReleaseDueJobs()
    {
        var due = new List<JobLease>();
        lock (_delayedGate)
        {
            var now = _time.GetUtcNow();
            while (_delayed.TryPeek(out var lease, out var at) && at <= now)
            {
                _delayed.Dequeue();
                due.Add(lease);
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
        foreach (var lease in due)
        {
            var queue = GetQueue(lease.Job.Queue);
            Interlocked.Decrement(ref queue.Delayed);
            var writer = queue.Channel.Writer;
            if (!writer.TryWrite(Available(lease)))
            {
                // Full queue: wait for room rather than drop the job.
                _ = writer.WriteAsync(lease).AsTask();
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>A queue: its channel, and the slots of the jobs with an ordering key (as many as the channel holds).</summary>
    private sealed class QueueState(int capacity)
    {
        public Channel<JobLease> Channel { get; } =
            System.Threading.Channels.Channel.CreateBounded<JobLease>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });

        public SemaphoreSlim Slots { get; } = new(capacity, capacity);

        /// <summary>Jobs handed out and not completed or given back yet (<see cref="IQueueStatistics"/>).</summary>
        public long Leased;

        /// <summary>Jobs waiting with the delayed jobs until due.</summary>
        public long Delayed;
    }

    /// <summary>
    /// The line of one ordering key on one queue: the token (<see cref="JobLease.State"/>) of the job first in line, which
    /// is handed out (or due later), and the jobs behind it.
    /// </summary>
    private sealed class Line(object head)
    {
        public object Head { get; set; } = head;

        /// <summary>Created by the second job of a line: most lines (one call at a time) never need it.</summary>
        public Queue<SignalJob>? Waiting { get; set; }
    }
}
