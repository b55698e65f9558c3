using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// A private Redis Cluster with replicas on loopback, as test.sh starts its 3-master one: <c>redis-server
/// --cluster-enabled yes</c> per node (each a <see cref="RedisServer"/> in a directory of its own, where its nodes.conf
/// lands), then <c>redis-cli --cluster create … --cluster-replicas N</c>, ready once every node reports
/// <c>cluster_state:ok</c>, knows every other node and every master has its replicas in sync. A short
/// <c>cluster-node-timeout</c> makes a failover take about two seconds. A failover test kills a master
/// (<see cref="Kill"/>) and waits for its replica to take its slots (<see cref="WaitForOwnerAsync"/>). Every server is
/// stopped on dispose. Needs redis-server ≥ 7 (sharded pub/sub) and redis-cli: <see cref="SkipReason"/>.
/// </summary>
internal sealed class RedisClusterSet : IAsyncDisposable
{
    private static readonly Lazy<string?> Cli = new(() => FindNextToServer("redis-cli"));
    private static readonly Lazy<int?> Major = new(ReadMajorVersion);

    private readonly List<RedisServer> _servers = [];
    private readonly HashSet<RedisServer> _killed = [];

    private RedisClusterSet()
    {
    }

    public IReadOnlyList<RedisServer> Servers => _servers;

    /// <summary>The StackExchange.Redis connection string: every node as a seed.</summary>
    public string Configuration => string.Join(',', _servers.Select(s => s.Address));

    /// <summary>Why no cluster can be started here, or null.</summary>
    public static string? SkipReason =>
        RedisAvailability.ServerSkipReason
        ?? (Cli.Value is null ? "redis-cli is not installed (apt-get install redis-server); it creates the test's Redis Cluster." : null)
        ?? (Major.Value is not >= 7
            ? $"redis-server {Major.Value?.ToString(CultureInfo.InvariantCulture) ?? "?"} < 7 (no sharded pub/sub): Redis Cluster tests skipped."
            : null);

    /// <summary>Starts <paramref name="masters"/> masters with <paramref name="replicas"/> replicas each and waits until the cluster is ready.</summary>
    public static async Task<RedisClusterSet> StartAsync(int masters = 3, int replicas = 1, int nodeTimeoutMs = 1000)
    {
        var set = new RedisClusterSet();
        try
        {
            for (var i = 0; i < masters * (1 + replicas); i++)
            {
                set._servers.Add(await StartNodeAsync(nodeTimeoutMs));
            }
            await RunCliAsync(["--cluster", "create", .. set._servers.Select(s => s.Address),
                "--cluster-replicas", replicas.ToString(CultureInfo.InvariantCulture), "--cluster-yes"]);
            await set.WaitReadyAsync(masters, replicas);
            return set;
        }
        catch
        {
            await set.DisposeAsync();
            throw;
        }
    }

    /// <summary>The servers still running.</summary>
    public IEnumerable<RedisServer> Live => _servers.Where(s => !_killed.Contains(s));

    public RedisServer ServerOn(int port) => _servers.Single(s => s.Port == port);

    /// <summary>The cluster as the first live node sees it.</summary>
    public async Task<IReadOnlyList<RedisClusterNode>> NodesAsync(RedisServer? via = null) =>
        RedisClusterNode.Parse(await (via ?? Live.First()).CommandAsync("CLUSTER", "NODES"));

    /// <summary>The hash slot of <paramref name="key"/> (<c>CLUSTER KEYSLOT</c>).</summary>
    public async Task<int> KeySlotAsync(RedisKey key)
    {
        var reply = await Live.First().CommandAsync("CLUSTER", "KEYSLOT", key.ToString());
        return int.Parse(reply.TrimStart(':'), CultureInfo.InvariantCulture);
    }

    /// <summary>The master that holds <paramref name="slot"/> now, and its replicas.</summary>
    public async Task<(RedisServer Master, IReadOnlyList<RedisServer> Replicas)> ShardOfAsync(int slot)
    {
        var nodes = await NodesAsync();
        var master = nodes.Single(n => n.IsMaster && !n.Failed && n.Holds(slot));
        return (ServerOn(master.Port), nodes.Where(n => n.MasterId == master.Id).Select(n => ServerOn(n.Port)).ToList());
    }

    /// <summary>SIGKILLs <paramref name="server"/>: no shutdown, nothing more reaches its replicas or peers.</summary>
    public void Kill(RedisServer server)
    {
        server.Kill();
        _killed.Add(server);
    }

    /// <summary>
    /// Waits until every live node names <paramref name="owner"/> as the master of <paramref name="slot"/> and reports
    /// <c>cluster_state:ok</c> (after a master was killed: its replica was elected and took its slots).
    /// </summary>
    public async Task WaitForOwnerAsync(int slot, RedisServer owner, TimeSpan limit)
    {
        foreach (var server in Live)
        {
            await WaitAsync(async () =>
            {
                var nodes = await NodesAsync(server);
                return nodes.Any(n => n.Port == owner.Port && n.IsMaster && n.Holds(slot))
                       && (await server.CommandAsync("CLUSTER", "INFO")).Contains("cluster_state:ok", StringComparison.Ordinal);
            }, $"node :{server.Port} to name :{owner.Port} master of slot {slot}", limit);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_servers.Select(s => s.DisposeAsync().AsTask()));
        _servers.Clear();
    }

    private async Task WaitReadyAsync(int masters, int replicas)
    {
        var total = masters * (1 + replicas);
        foreach (var server in _servers)
        {
            await WaitAsync(async () =>
            {
                var info = await server.CommandAsync("CLUSTER", "INFO");
                if (!info.Contains("cluster_state:ok", StringComparison.Ordinal)
                    || !info.Contains("cluster_known_nodes:" + total.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
                {
                    return false;
                }
                var nodes = await NodesAsync(server);
                var primaries = nodes.Where(n => n.IsMaster && n.Slots.Count > 0).ToList();
                return !nodes.Any(n => n.Failed) && primaries.Count == masters
                       && primaries.All(p => nodes.Count(n => n.MasterId == p.Id) == replicas);
            }, $"node :{server.Port} to see {masters} masters with {replicas} replica(s) each", TimeSpan.FromSeconds(30));
        }
        // A replica that has not finished its first sync cannot be promoted (and would lose everything written so far).
        foreach (var node in (await NodesAsync()).Where(n => !n.IsMaster))
        {
            var replica = ServerOn(node.Port);
            await WaitAsync(async () =>
            {
                var info = await replica.CommandAsync("INFO", "replication");
                return info.Contains("master_link_status:up", StringComparison.Ordinal) && info.Contains("master_sync_in_progress:0", StringComparison.Ordinal);
            }, $"replica :{replica.Port} to sync with its master", TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>A node on a free port whose cluster bus port (port + 10000) is free too.</summary>
    private static async Task<RedisServer> StartNodeAsync(int nodeTimeoutMs)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            // Below Linux's ephemeral range, so the bus port (+10000) stays a valid port, as test.sh picks them.
            var port = Random.Shared.Next(20000, 32000);
            if (!IsFree(port) || !IsFree(port + 10000))
            {
                continue;
            }
            try
            {
                return await RedisServer.StartOnAsync(port,
                [
                    "--cluster-enabled", "yes", "--cluster-node-timeout", nodeTimeoutMs.ToString(CultureInfo.InvariantCulture),
                    // The first sync of a replica starts at once instead of after 5 s.
                    "--repl-diskless-sync-delay", "0",
                ]);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                // Someone took the port between probing and starting: try another one.
                last = e;
            }
        }
        throw new InvalidOperationException("Could not start a Redis Cluster node.", last);
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task RunCliAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Cli.Value ?? throw new InvalidOperationException(SkipReason))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var cli = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        var output = cli.StandardOutput.ReadToEndAsync();
        var error = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (cli.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli {string.Join(' ', start.ArgumentList)} exited with {cli.ExitCode}: {await output}{await error}");
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan limit)
    {
        await RedisPolling.WaitUntilAsync(async () =>
        {
            try
            {
                return await condition();
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                return false;
            }
        }, what, limit);
    }

    private static string? FindNextToServer(string name)
    {
        if (RedisAvailability.ServerBinary is { } server && Path.Combine(Path.GetDirectoryName(server) ?? "", name) is var beside && File.Exists(beside))
        {
            return beside;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>The major version of redis-server (<c>Redis server v=7.0.15 …</c>), or null.</summary>
    private static int? ReadMajorVersion()
    {
        if (RedisAvailability.ServerBinary is not { } binary)
        {
            return null;
        }
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("--version");
        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var at = text.IndexOf("v=", StringComparison.Ordinal);
        var dot = at < 0 ? -1 : text.IndexOf('.', at);
        return dot > at + 2 && int.TryParse(text[(at + 2)..dot], CultureInfo.InvariantCulture, out var major) ? major : null;
    }
}
