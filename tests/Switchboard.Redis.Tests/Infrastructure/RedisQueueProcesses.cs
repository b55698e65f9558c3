using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// <see cref="RedisJobQueue"/>s that each have a connection (multiplexer) of their own, as each worker process has:
/// <see cref="Start"/> one per "process", <see cref="StopAsync"/> one to end that process (it stops renewing its leases
/// and never completes what it still held), and the rest end when this is disposed. Every process logs to
/// <see cref="Logs"/>, which echoes warnings and errors to <paramref name="output"/>.
/// </summary>
internal sealed class RedisQueueProcesses(ITestOutputHelper? output = null) : IAsyncDisposable
{
    private readonly List<(RedisJobQueue Queue, RedisConnection Connection)> _processes = [];
    private readonly Lock _gate = new();

    /// <summary>What every process logged.</summary>
    public LogCapture Logs { get; } = new(output);

    /// <summary>A queue name no other test uses.</summary>
    public static string NewQueueName() => "q-" + Guid.NewGuid().ToString("N");

    /// <summary>A minimal server job, created now.</summary>
    public static SignalJob NewJob(string queue, string id, DateTimeOffset? notBefore = null) =>
        SampleJobs.Minimal(queue, id, DateTimeOffset.UtcNow, notBefore);

    /// <summary>Starts a process: a connection with <paramref name="options"/> and a job queue on it.</summary>
    public RedisJobQueue Start(SwitchboardRedisOptions options, TimeProvider? time = null, int workers = 4)
    {
        var connection = TestRedis.Connection(options, Logs);
        var queue = TestRedis.Queue(connection, time, workers, Logs);
        lock (_gate)
        {
            _processes.Add((queue, connection));
        }
        return queue;
    }

    /// <summary>
    /// Takes the process of <paramref name="queue"/> out of this set without ending it, for a test that ends it step by
    /// step; returns its connection.
    /// </summary>
    public RedisConnection Detach(RedisJobQueue queue)
    {
        lock (_gate)
        {
            var index = _processes.FindIndex(p => p.Queue == queue);
            var connection = _processes[index].Connection;
            _processes.RemoveAt(index);
            return connection;
        }
    }

    /// <summary>Ends the process of <paramref name="queue"/>: its queue, then its connection.</summary>
    public async Task StopAsync(RedisJobQueue queue)
    {
        var connection = Detach(queue);
        await queue.DisposeAsync();
        await connection.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        (RedisJobQueue Queue, RedisConnection Connection)[] left;
        lock (_gate)
        {
            left = [.. _processes];
            _processes.Clear();
        }
        foreach (var (queue, connection) in left)
        {
            await queue.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
