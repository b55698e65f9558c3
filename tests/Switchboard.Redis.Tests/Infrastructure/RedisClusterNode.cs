using System.Globalization;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>One line of <c>CLUSTER NODES</c> as one node sees the cluster: id, port, role, the master it replicates, state and slots.</summary>
internal sealed record RedisClusterNode(string Id, int Port, bool IsMaster, string? MasterId, bool Failed, IReadOnlyList<(int From, int To)> Slots)
{
    public bool Holds(int slot) => Slots.Any(r => r.From <= slot && slot <= r.To);

    /// <summary>
    /// Parses a <c>CLUSTER NODES</c> reply: <c>id ip:port@cport flags master ping pong epoch link slot…</c>, flags such as
    /// <c>myself,master</c>, <c>slave</c>, <c>fail?</c> (suspected by this node) or <c>fail</c> (agreed by a majority);
    /// slots <c>0-5460</c> or <c>5461</c> (entries in brackets are slots being migrated and stay with their owner).
    /// </summary>
    public static IReadOnlyList<RedisClusterNode> Parse(string reply)
    {
        var nodes = new List<RedisClusterNode>();
        foreach (var line in reply.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ');
            var address = parts[1].Split('@')[0];
            var port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            var flags = parts[2].Split(',');
            var slots = new List<(int, int)>();
            foreach (var range in parts.Skip(8).Where(p => !p.StartsWith('[')))
            {
                var dash = range.IndexOf('-', StringComparison.Ordinal);
                slots.Add(dash < 0
                    ? (int.Parse(range, CultureInfo.InvariantCulture), int.Parse(range, CultureInfo.InvariantCulture))
                    : (int.Parse(range[..dash], CultureInfo.InvariantCulture), int.Parse(range[(dash + 1)..], CultureInfo.InvariantCulture)));
            }
            nodes.Add(new RedisClusterNode(parts[0], port, flags.Contains("master"), parts[3] == "-" ? null : parts[3],
                flags.Contains("fail") || flags.Contains("fail?"), slots));
        }
        return nodes;
    }
}
