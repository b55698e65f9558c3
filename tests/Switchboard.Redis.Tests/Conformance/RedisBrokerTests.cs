using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Conformance;

/// <summary>
/// <see cref="RedisBroker"/> passes the broker contract. Each node has a connection (multiplexer) of its own, as each
/// web node process would; all share this class's key prefix on the shared Redis.
/// </summary>
public sealed class RedisBrokerTests(RedisFixture redis) : BrokerConformanceTests, IClassFixture<RedisFixture>
{
    private readonly Dictionary<IBroker, RedisConnection> _connections = [];

    protected override Task<IBroker[]> CreateNodesAsync(int count)
    {
        var nodes = new IBroker[count];
        for (var i = 0; i < count; i++)
        {
            var connection = TestRedis.Connection(redis.Options());
            nodes[i] = new RedisBroker(connection, TimeProvider.System,
                Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions { History = History }), NullLogger<RedisBroker>.Instance);
            lock (_connections)
            {
                _connections[nodes[i]] = connection;
            }
        }
        return Task.FromResult(nodes);
    }

    protected override async ValueTask DisposeNodeAsync(IBroker node)
    {
        RedisConnection? connection;
        lock (_connections)
        {
            _connections.Remove(node, out connection);
        }
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }
}
