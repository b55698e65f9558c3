using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Feeds one queue's workers in this process: a blocking XREADGROUP on a multiplexer of its own (never the shared
/// one), plus XAUTOCLAIM of jobs whose worker stopped renewing their lease (it died). Fetched jobs wait in a local
/// buffer; their leases are renewed like running ones, so buffering never makes them look abandoned. The buffer's
/// target follows demand: twice the jobs the workers took during the previous read, at least the worker count and at
/// most <see cref="SwitchboardRedisOptions.JobPrefetch"/>. Fast jobs are so read 100+ per round trip, while slow
/// ones keep the buffer at the worker count and leave the rest of the queue to other processes.
/// </summary>
internal sealed partial class RedisQueueReader : IAsyncDisposable
{
    private readonly RedisConnection _connection;
    private readonly RedisJobQueue _owner;
    private readonly string _queue;
    private readonly RedisKey _stream;
    private readonly string _consumer;
    private readonly Channel<JobLease> _buffer = Channel.CreateUnbounded<JobLease>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly int _minimum;
    private readonly int _maximum;
    private readonly TimeProvider _time;
    private Task? _loop;
    private int _buffered;
    private int _taken;
    private int _target;
    private TaskCompletionSource? _roomWaiter;

    public RedisQueueReader(RedisConnection connection, RedisJobQueue owner, string queue, string consumer, int workers, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _owner = owner;
        _queue = queue;
        _stream = connection.Names.Queue(queue);
        _consumer = consumer;
        _minimum = Math.Max(1, workers);
        _maximum = Math.Max(_minimum, connection.Options.JobPrefetch);
        _target = _minimum;
        _time = time;
        _logger = logger;
    }

    /// <summary>The next fetched job; a job already buffered is handed out synchronously.</summary>
    public ValueTask<JobLease> TakeAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Reader.TryRead(out var lease))
        {
            OnTaken();
            return new ValueTask<JobLease>(lease);
        }
        return WaitAsync(cancellationToken);

        async ValueTask<JobLease> WaitAsync(CancellationToken cancellationToken)
        {
            var next = await _buffer.Reader.ReadAsync(cancellationToken);
            OnTaken();
            return next;
        }
    }

    private void OnTaken()
    {
        Interlocked.Increment(ref _taken);
        if (Interlocked.Decrement(ref _buffered) < Volatile.Read(ref _target))
        {
            Interlocked.Exchange(ref _roomWaiter, null)?.TrySetResult();
        }
    }

    /// <summary>Waits until the buffer is below its target; returns how many jobs to read.</summary>
    private async ValueTask<int> WaitForRoomAsync(CancellationToken stopping)
    {
        // Demand since the previous read (taken while it ran and since): the next read covers twice that.
        var demand = Interlocked.Exchange(ref _taken, 0);
        Volatile.Write(ref _target, Math.Clamp(2 * demand, _minimum, _maximum));
        while (true)
        {
            var room = Volatile.Read(ref _target) - Volatile.Read(ref _buffered);
            if (room > 0)
            {
                return room;
            }
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _roomWaiter, waiter);
            // A take between the check above and publishing the waiter would have found no waiter: check again.
            if (Volatile.Read(ref _target) - Volatile.Read(ref _buffered) > 0)
            {
                continue;
            }
            await waiter.Task.WaitAsync(stopping);
        }
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stopping.Token));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        ConnectionMultiplexer? blocking = null;
        var nextReclaim = DateTimeOffset.MinValue;
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                blocking ??= await _connection.CreateBlockingAsync("switchboard-reader-" + _queue);
                var room = await WaitForRoomAsync(stopping);
                await EnsureGroupAsync();
                if (_time.GetUtcNow() >= nextReclaim)
                {
                    nextReclaim = _time.GetUtcNow() + _connection.Options.BlockTimeout;
                    if (await ReclaimAsync(room) > 0)
                    {
                        continue;
                    }
                }
                await ReadAsync(blocking.GetDatabase(), room);
                failures = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                LogReadFailed(_logger, _queue, failures, e.Message);
                _groupReady = false;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(failures, 6)))), _time, stopping)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        if (blocking is not null)
        {
            await blocking.DisposeAsync();
        }
    }

    private bool _groupReady;

    private async Task EnsureGroupAsync()
    {
        if (_groupReady)
        {
            return;
        }
        var db = await _connection.DatabaseAsync();
        try
        {
            // Position 0: jobs added before any worker existed are taken too.
            await db.StreamCreateConsumerGroupAsync(_stream, RedisNames.ConsumerGroup, "0", createStream: true);
        }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // Already there.
        }
        _groupReady = true;
    }

    private async Task<int> ReclaimAsync(int room)
    {
        var db = await _connection.DatabaseAsync();
        var result = await db.StreamAutoClaimAsync(_stream, RedisNames.ConsumerGroup, _consumer,
            (long)_connection.Options.JobLease.TotalMilliseconds, "0-0", room);
        var count = 0;
        foreach (var entry in result.ClaimedEntries)
        {
            if (entry.IsNull)
            {
                continue;
            }
            if (_owner.IsHeld(new RedisJobLeaseState(_stream, entry.Id.ToString())))
            {
                // Our own job, still running or buffered here, whose renewal came late (a long pause of this process):
                // XAUTOCLAIM just renewed it for us. Handing it out again would run it twice in this process.
                continue;
            }
            LogReclaimed(_logger, _queue, entry.Id.ToString());
            var line = entry[RedisNames.OrderingKeyField];
            await AcceptAsync(entry.Id.ToString(), entry[RedisNames.JobField], line.IsNull ? null : (string?)line);
            count++;
        }
        return count;
    }

    private async Task ReadAsync(IDatabase blockingDb, int room)
    {
        var result = await blockingDb.ExecuteAsync("XREADGROUP",
            "GROUP", RedisNames.ConsumerGroup, _consumer,
            "COUNT", room,
            "BLOCK", (long)_connection.Options.BlockTimeout.TotalMilliseconds,
            "STREAMS", _stream, ">");
        if (result.IsNull || result.Length == 0)
        {
            return;
        }
        // RESP2 reply: [[stream, [[id, [field, value, ...]], ...]]]
        foreach (var stream in (RedisResult[])result!)
        {
            var parts = (RedisResult[])stream!;
            foreach (var entry in (RedisResult[])parts[1]!)
            {
                var fields = (RedisResult[])entry[1]!;
                RedisValue job = RedisValue.Null;
                string? line = null;
                for (var i = 0; i + 1 < fields.Length; i += 2)
                {
                    switch ((string?)fields[i])
                    {
                        case RedisNames.JobField:
                            job = (RedisValue)fields[i + 1];
                            break;
                        case RedisNames.OrderingKeyField:
                            line = (string?)fields[i + 1];
                            break;
                    }
                }
                await AcceptAsync((string)entry[0]!, job, line);
            }
        }
    }

    /// <summary>Buffers a fetched entry; <paramref name="line"/> is the ordering key of the line it is first in, if any.</summary>
    private async Task AcceptAsync(string entryId, RedisValue payload, string? line)
    {
        var state = new RedisJobLeaseState(_stream, entryId) { Queue = _queue, OrderingKey = line };
        var job = payload.IsNull ? null : RedisJobSerializer.Deserialize((string)payload!);
        if (job is null)
        {
            await _owner.DeadLetterRawAsync(_queue, state, payload.IsNull ? "" : (string)payload!, "unreadable job");
            return;
        }
        // Tracked (its lease renewed) from the moment it is buffered, not only once a worker runs it.
        _owner.Track(state);
        Interlocked.Increment(ref _buffered);
        _buffer.Writer.TryWrite(new JobLease(job, state));
    }

    [LoggerMessage(EventId = 4201, EventName = "RedisQueueReadFailed", Level = LogLevel.Warning,
        Message = "Reading queue {Queue} from Redis failed ({Failures} in a row): {Reason}; retrying.")]
    private static partial void LogReadFailed(ILogger logger, string queue, int failures, string reason);

    [LoggerMessage(EventId = 4202, EventName = "RedisJobReclaimed", Level = LogLevel.Information,
        Message = "Queue {Queue}: reclaimed job entry {EntryId} whose worker stopped renewing its lease.")]
    private static partial void LogReclaimed(ILogger logger, string queue, string entryId);
}
