using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// <see cref="RedisJobQueue"/> passes the job queue contract with the real clock: delayed jobs are due by
/// <see cref="TimeProvider.System"/>, <see cref="AdvanceTimeAsync"/> lets real time pass, and every "it arrives when due"
/// is an awaited dequeue with a timeout (the delayed set is polled every 20 ms). <see cref="JobQueueConformanceTests.ShortDelay"/>
/// keeps its default of 1 s: the "not yet due" checks have that much margin on a loaded machine.
/// </summary>
public sealed class RedisJobQueueTests(RedisFixture redis) : JobQueueConformanceTests, IClassFixture<RedisFixture>
{
    private readonly Dictionary<IJobQueue, RedisConnection> _connections = [];

    protected override TimeProvider Time => TimeProvider.System;

    protected override Task<IJobQueue> CreateQueueAsync()
    {
        var connection = TestRedis.Connection(redis.Options());
        var queue = TestRedis.Queue(connection);
        lock (_connections)
        {
            _connections[queue] = connection;
        }
        return Task.FromResult<IJobQueue>(queue);
    }

    protected override Task AdvanceTimeAsync(TimeSpan by) => Task.Delay(by);

    protected override async ValueTask DisposeQueueAsync(IJobQueue queue)
    {
        await ((RedisJobQueue)queue).DisposeAsync();
        RedisConnection? connection;
        lock (_connections)
        {
            _connections.Remove(queue, out connection);
        }
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}
