using System.Globalization;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// A private Sentinel deployment on loopback: a master, one replica (<c>REPLICAOF 127.0.0.1 master</c>) and one or three
/// Sentinels watching it as <see cref="Service"/>. <see cref="Configuration"/> is what an application passes to connect
/// through Sentinel (<c>127.0.0.1:S1,…,serviceName=…</c>). A failover test kills the master
/// (<see cref="KillMaster"/>) and waits for Sentinel to promote the replica (<see cref="WaitForFailoverAsync"/>).
/// Everything is stopped on dispose.
/// </summary>
internal sealed class RedisSentinelSet : IAsyncDisposable
{
    private readonly List<RedisSentinel> _sentinels = [];

    private RedisSentinelSet(string service, RedisServer master, RedisServer replica)
    {
        Service = service;
        Master = master;
        Replica = replica;
    }

    public string Service { get; }

    /// <summary>The server that was master when the set started.</summary>
    public RedisServer Master { get; }

    /// <summary>The server that was its replica (the master after a failover).</summary>
    public RedisServer Replica { get; }

    public IReadOnlyList<RedisSentinel> Sentinels => _sentinels;

    /// <summary>The StackExchange.Redis connection string: the Sentinels and the service name.</summary>
    public string Configuration =>
        string.Join(',', _sentinels.Select(s => "127.0.0.1:" + s.Port.ToString(CultureInfo.InvariantCulture))) + ",serviceName=" + Service;

    /// <summary>Starts a master, its replica and <paramref name="sentinels"/> Sentinels (quorum: a majority), and waits until they see each other.</summary>
    public static async Task<RedisSentinelSet> StartAsync(int sentinels = 1, string service = "switchboard")
    {
        var master = await RedisServer.StartAsync();
        RedisServer? replica = null;
        RedisSentinelSet? set = null;
        try
        {
            replica = await RedisServer.StartAsync();
            set = new RedisSentinelSet(service, master, replica);
            // The master would wait 5 s (repl-diskless-sync-delay) for more replicas before the first sync.
            await master.CommandAsync("CONFIG", "SET", "repl-diskless-sync-delay", "0");
            await replica.CommandAsync("REPLICAOF", "127.0.0.1", master.Port.ToString(CultureInfo.InvariantCulture));
            await WaitAsync(async () => (await replica.CommandAsync("INFO", "replication")).Contains("master_link_status:up", StringComparison.Ordinal),
                "the replica to sync with the master");
            for (var i = 0; i < sentinels; i++)
            {
                set._sentinels.Add(await RedisSentinel.StartAsync(service, master.Port, sentinels / 2 + 1));
            }
            // A Sentinel can only promote a replica it knows of, and must know its peers to reach a quorum.
            foreach (var sentinel in set._sentinels)
            {
                await WaitAsync(async () =>
                {
                    var line = await sentinel.MasterLineAsync(service);
                    return line.Contains("status=ok", StringComparison.Ordinal) && line.Contains(",slaves=1,", StringComparison.Ordinal) &&
                           line.EndsWith(",sentinels=" + sentinels.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                }, $"Sentinel {sentinel.Port} to see the master, the replica and {sentinels} sentinel(s)", TimeSpan.FromSeconds(30));
            }
            return set;
        }
        catch
        {
            if (set is not null)
            {
                await set.DisposeAsync();
            }
            else
            {
                await master.DisposeAsync();
                if (replica is not null)
                {
                    await replica.DisposeAsync();
                }
            }
            throw;
        }
    }

    /// <summary>The port of the master the first Sentinel names now.</summary>
    public async Task<int> CurrentMasterPortAsync()
    {
        var line = await _sentinels[0].MasterLineAsync(Service);
        var address = line.Split(',').First(p => p.StartsWith("address=", StringComparison.Ordinal));
        return int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>Kills the master with SIGKILL: no shutdown, nothing more is sent to the replica.</summary>
    public void KillMaster()
    {
        _ = Master.ProcessId ?? throw new InvalidOperationException("The master is not running.");
        Master.Kill();
    }

    /// <summary>Waits until every Sentinel names the replica as master and it answers as one.</summary>
    public async Task WaitForFailoverAsync(TimeSpan? limit = null)
    {
        var replica = "address=127.0.0.1:" + Replica.Port.ToString(CultureInfo.InvariantCulture) + ",";
        foreach (var sentinel in _sentinels)
        {
            await WaitAsync(async () => (await sentinel.MasterLineAsync(Service)).Contains(replica, StringComparison.Ordinal),
                $"Sentinel {sentinel.Port} to promote the replica", limit ?? TimeSpan.FromSeconds(30));
        }
        await WaitAsync(async () => (await Replica.CommandAsync("INFO", "replication")).Contains("role:master", StringComparison.Ordinal),
            "the replica to act as master", limit ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// SIGKILLs every process of the set at once, without waiting for shutdowns: for the end of the test process, where
    /// the runner allows little time (a graceful <see cref="DisposeAsync"/> there was cut short and left servers running).
    /// </summary>
    public void Kill()
    {
        // No waiting: a killed daemon can linger as a zombie, and the runner ends this process soon.
        foreach (var sentinel in _sentinels)
        {
            sentinel.Kill(wait: false);
        }
        Replica.Kill(wait: false);
        Master.Kill(wait: false);
    }

    public async ValueTask DisposeAsync()
    {
        // Sentinels first, so none reconfigures the servers while they stop.
        foreach (var sentinel in _sentinels)
        {
            await sentinel.DisposeAsync();
        }
        _sentinels.Clear();
        await Replica.DisposeAsync();
        await Master.DisposeAsync();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        await RedisPolling.WaitUntilAsync(async () =>
        {
            try
            {
                return await condition();
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or OperationCanceledException)
            {
                return false;
            }
        }, what, limit ?? TimeSpan.FromSeconds(15));
    }
}
