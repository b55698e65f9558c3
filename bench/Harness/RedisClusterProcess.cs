using System.Globalization;

namespace Switchboard.Bench.Harness;

/// <summary>
/// A private Redis Cluster of three masters (no replicas) on free loopback ports, each a <see cref="RedisProcess"/> in
/// cluster mode; the 16,384 slots are assigned by <c>redis-cli --cluster create</c>. Needs redis-server ≥ 7 (sharded
/// pub/sub). Stopped (nosave) on dispose.
/// </summary>
public sealed class RedisClusterProcess : IAsyncDisposable
{
    private readonly RedisProcess[] _nodes;

    private RedisClusterProcess(RedisProcess[] nodes) => _nodes = nodes;

    /// <summary>The seed endpoints, comma-separated: the connection string a node is given.</summary>
    public string Endpoint => string.Join(',', _nodes.Select(n => n.Endpoint));

    public IReadOnlyList<RedisProcess> Nodes => _nodes;

    public double CpuSeconds => _nodes.Sum(n => n.CpuSeconds);

    public static async Task<RedisClusterProcess> StartAsync(int masters = 3)
    {
        var (_, version) = await RedisProcess.RunWithOutputAsync("redis-server", "--version");
        var major = System.Text.RegularExpressions.Regex.Match(version, @"v=(\d+)\.") is { Success: true } m
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (major < 7)
        {
            throw new InvalidOperationException($"redis-server {major} < 7: a Redis Cluster with sharded pub/sub needs Redis 7 or later");
        }
        var nodes = new List<RedisProcess>();
        try
        {
            for (var i = 0; i < masters; i++)
            {
                nodes.Add(await RedisProcess.StartAsync("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"));
            }
            var (code, output) = await RedisProcess.RunWithOutputAsync("redis-cli", ["--cluster", "create", .. nodes.Select(n => n.Endpoint), "--cluster-replicas", "0", "--cluster-yes"]);
            if (code != 0)
            {
                throw new InvalidOperationException("redis-cli --cluster create failed: " + output);
            }
            foreach (var node in nodes)
            {
                await WaitClusterOkAsync(node);
            }
            return new RedisClusterProcess([.. nodes]);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            throw;
        }
    }

    private static async Task WaitClusterOkAsync(RedisProcess node)
    {
        for (var i = 0; i < 100; i++)
        {
            var (_, info) = await RedisProcess.RunWithOutputAsync("redis-cli", "-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info");
            if (info.Split('\n').Any(l => l.Trim() == "cluster_state:ok"))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"cluster node {node.Endpoint} never reported cluster_state:ok");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
