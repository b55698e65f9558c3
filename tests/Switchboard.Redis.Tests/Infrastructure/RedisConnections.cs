using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// Connections (multiplexers) made one per store or node, as each process has its own, so one reads what another wrote
/// through Redis rather than through a shared client; all disposed together.
/// </summary>
internal sealed class RedisConnections : IAsyncDisposable
{
    private readonly List<RedisConnection> _connections = [];

    public RedisConnection Create(SwitchboardRedisOptions options)
    {
        var connection = TestRedis.Connection(options);
        lock (_connections)
        {
            _connections.Add(connection);
        }
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        RedisConnection[] all;
        lock (_connections)
        {
            all = [.. _connections];
            _connections.Clear();
        }
        foreach (var connection in all)
        {
            await connection.DisposeAsync();
        }
    }
}
