namespace Switchboard.InMemory;

/// <summary>
/// The nodes that share in-memory brokers. Each host has its own network (one node: nothing to carry); tests put
/// several hosts on one network to run multi-node scenarios in one process.
/// </summary>
internal sealed class InMemoryBrokerNetwork
{
    private volatile InMemoryBroker[] _nodes = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<InMemoryBroker> Nodes => _nodes;

    public void Join(InMemoryBroker node)
    {
        lock (_gate)
        {
            if (!_nodes.Contains(node))
            {
                _nodes = [.. _nodes, node];
            }
        }
    }

    public void Leave(InMemoryBroker node)
    {
        lock (_gate)
        {
            _nodes = [.. _nodes.Where(n => n != node)];
        }
    }
}
