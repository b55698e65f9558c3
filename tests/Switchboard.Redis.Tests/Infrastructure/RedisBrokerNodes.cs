using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// <see cref="RedisBroker"/> nodes that each have a connection (multiplexer) of their own, as each web node process has;
/// the connections close when this is disposed (or one node's with <see cref="StopAsync"/>).
/// </summary>
internal sealed class RedisBrokerNodes : IAsyncDisposable
{
    private readonly Dictionary<IBroker, (RedisConnection Connection, SwitchboardRedisOptions Options)> _nodes = [];
    private readonly Lock _gate = new();

    /// <summary>A node, not started, on a connection with <paramref name="options"/>.</summary>
    public IBroker Create(SwitchboardRedisOptions options, SwitchboardOptions? switchboard = null)
    {
        var connection = TestRedis.Connection(options);
        var broker = new RedisBroker(connection, TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(switchboard ?? new SwitchboardOptions()), NullLogger<RedisBroker>.Instance);
        lock (_gate)
        {
            _nodes[broker] = (connection, options);
        }
        return broker;
    }

    /// <summary>A started node, on a connection with <paramref name="options"/>, and what it receives.</summary>
    public async Task<(IBroker Broker, BrokerMessageRecorder Received)> StartAsync(SwitchboardRedisOptions options, SwitchboardOptions? switchboard = null)
    {
        var broker = Create(options, switchboard);
        var received = new BrokerMessageRecorder();
        await broker.StartAsync(received.OnMessageAsync, default).DefaultTimeout();
        return (broker, received);
    }

    /// <summary>The Redis options <paramref name="node"/> was created with.</summary>
    public SwitchboardRedisOptions OptionsOf(IBroker node)
    {
        lock (_gate)
        {
            return _nodes[node].Options;
        }
    }

    /// <summary>Closes the connection of <paramref name="node"/>.</summary>
    public async ValueTask StopAsync(IBroker node)
    {
        RedisConnection connection;
        lock (_gate)
        {
            if (!_nodes.Remove(node, out var entry))
            {
                return;
            }
            connection = entry.Connection;
        }
        await connection.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        RedisConnection[] connections;
        lock (_gate)
        {
            connections = [.. _nodes.Values.Select(n => n.Connection)];
            _nodes.Clear();
        }
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }
}
