using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// Feeds one queue's workers in this process: a blocking XREADGROUP on a multiplexer of its own (never the shared
/// one), plus XAUTOCLAIM of jobs whose worker stopped renewing their lease (it died). Fetched jobs wait in a small
/// local buffer; their leases are renewed like running ones, so buffering never makes them look abandoned.
/// </summary>
internal sealed partial class RedisQueueReader : IAsyncDisposable
{
    private readonly RedisConnection _connection;
    private readonly RedisJobQueue _owner;
    private readonly string _queue;
    private readonly RedisKey _stream;
    private readonly string _consumer;
    private readonly Channel<JobLease> _buffer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly int _prefetch;
    private readonly TimeProvider _time;
    private Task? _loop;

    public RedisQueueReader(RedisConnection connection, RedisJobQueue owner, string queue, string consumer, int prefetch, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _owner = owner;
        _queue = queue;
        _stream = connection.Names.Queue(queue);
        _consumer = consumer;
        _prefetch = prefetch;
        _time = time;
        _logger = logger;
        _buffer = Channel.CreateBounded<JobLease>(new BoundedChannelOptions(prefetch) { FullMode = BoundedChannelFullMode.Wait });
    }

    public ChannelReader<JobLease> Jobs => _buffer.Reader;

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
                await _buffer.Writer.WaitToWriteAsync(stopping);
                await EnsureGroupAsync();
                if (_time.GetUtcNow() >= nextReclaim)
                {
                    nextReclaim = _time.GetUtcNow() + _connection.Options.BlockTimeout;
                    if (await ReclaimAsync(stopping) > 0)
                    {
                        continue;
                    }
                }
                await ReadAsync(blocking.GetDatabase(), stopping);
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

    private async Task<int> ReclaimAsync(CancellationToken stopping)
    {
        var db = await _connection.DatabaseAsync();
        var room = Math.Max(1, _prefetch - _buffer.Reader.Count);
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
            await AcceptAsync(entry.Id.ToString(), entry[RedisNames.JobField], stopping);
            count++;
        }
        return count;
    }

    private async Task ReadAsync(IDatabase blockingDb, CancellationToken stopping)
    {
        var room = Math.Max(1, _prefetch - _buffer.Reader.Count);
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
                for (var i = 0; i + 1 < fields.Length; i += 2)
                {
                    if ((string?)fields[i] == RedisNames.JobField)
                    {
                        job = (RedisValue)fields[i + 1];
                    }
                }
                await AcceptAsync((string)entry[0]!, job, stopping);
            }
        }
    }

    private async Task AcceptAsync(string entryId, RedisValue payload, CancellationToken stopping)
    {
        var state = new RedisJobLeaseState(_stream, entryId);
        var job = payload.IsNull ? null : RedisJobSerializer.Deserialize((string)payload!);
        if (job is null)
        {
            await _owner.DeadLetterRawAsync(_queue, state, payload.IsNull ? "" : (string)payload!, "unreadable job");
            return;
        }
        _owner.Track(state);
        await _buffer.Writer.WriteAsync(new JobLease(job, state), stopping);
    }

    [LoggerMessage(EventId = 4201, EventName = "RedisQueueReadFailed", Level = LogLevel.Warning,
        Message = "Reading queue {Queue} from Redis failed ({Failures} in a row): {Reason}; retrying.")]
    private static partial void LogReadFailed(ILogger logger, string queue, int failures, string reason);

    [LoggerMessage(EventId = 4202, EventName = "RedisJobReclaimed", Level = LogLevel.Information,
        Message = "Queue {Queue}: reclaimed job entry {EntryId} whose worker stopped renewing its lease.")]
    private static partial void LogReclaimed(ILogger logger, string queue, string entryId);
}
