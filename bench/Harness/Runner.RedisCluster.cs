using System.Globalization;
using System.Text.Json.Nodes;

namespace Switchboard.Bench.Harness;

/// <summary>
/// Scenario 10 (issue 13): the same windows on one node in memory, on two nodes over one Redis, and on two nodes over a
/// 3-shard Redis Cluster (sharded pub/sub); bursts of broadcasts and targeted sends from 8 concurrent callers on one
/// node to every window of both; then jobs/s through one Redis and through the cluster.
/// </summary>
public sealed partial class Runner
{
    private const string Memory1 = "memory-1-node";
    private const string Redis2 = "redis-2-nodes";
    private const string Cluster2 = "cluster-2-nodes";
    // Properties, not fields: Views (Runner.cs) reads them during static initialization, in another file of this class.
    private static string[] ClusterSystems => [Memory1, Redis2, Cluster2];
    private static (string, string)[] ClusterBaselines => [(Cluster2, Redis2), (Cluster2, Memory1)];

    private static (string, string)[] ClusterMetrics =>
    [
        ("deliveriesPerSec", "deliveries/s"), ("serverCpuUsPerMsg", "CPU per delivery, all servers + redis (µs)"),
        ("redisCpuUsPerMsg", "of which redis-server (µs, all shards)"), ("p99Ms", "p99 call→receive (ms)"), (OtherLoad, OtherLoadLabel),
    ];

    private static (string, string)[] ClusterMemoryMetrics =>
    [
        ("redisBytesPerWindowConnected", "Redis memory per connected window, before any message (bytes, all shards)"),
        ("redisBytesPerHistoryEntry", "Redis memory per message kept in a window's history (bytes, 100-byte payload)"),
    ];

    private static IEnumerable<ScenarioView> ClusterViews =>
    [
        new("10-fanout", "10a. Redis Cluster: broadcast bursts from 8 concurrent callers — one node in memory, two nodes on one Redis, two nodes on a 3-shard cluster (same windows)",
            ClusterSystems, ClusterBaselines, ClusterMetrics),
        new("10-targeted", "10b. Redis Cluster: one message to each window's WINDOW topic from 8 concurrent callers on one node (half the windows on the other node)",
            ClusterSystems, ClusterBaselines, ClusterMetrics),
        new("10-jobs", "10c. Redis Cluster: server-signal jobs at full speed on one Redis vs a 3-shard cluster (one queue: one shard)",
            ["redis-1-server", "redis-cluster"], [("redis-cluster", "redis-1-server")],
            [("jobsPerSec", "jobs/s (enqueue of the first to start of the last)"), ("cpuSecPer1000", "CPU-s per 1,000 jobs (process + redis)"), ("pickupP50Ms", "pickup p50 (ms)"), ("pickupP99Ms", "pickup p99 (ms)")]),
        new("10-redis-memory", "10d. Redis memory per window (used_memory after the windows connected, and after each got its targeted messages)",
            [Redis2, Cluster2], [(Cluster2, Redis2)], ClusterMemoryMetrics),
    ];

    /// <summary>Rounds of targeted sends per sample: a quarter of scenario 3's (each send crosses Redis: ~10× slower).</summary>
    private int ClusterTargetedRounds => Math.Max(1, config.TargetedRounds / 4);

    public async Task RedisClusterAsync()
    {
        if (!RedisProcess.Available())
        {
            throw new InvalidOperationException("redis-server/redis-cli not found (apt-get install redis-server)");
        }
        {
            await using var server = await Server.StartAsync("switchboard-c-memory", Dll("Switchboard.Bench.Server"), [], logs);
            await ClusterPhasesAsync(Memory1, [server], []);
        }
        {
            await using var redis = await RedisProcess.StartAsync();
            await TwoNodesOnAsync(Redis2, redis.Endpoint, [redis]);
        }
        {
            await using var cluster = await RedisClusterProcess.StartAsync();
            await TwoNodesOnAsync(Cluster2, cluster.Endpoint, cluster.Nodes);
        }
        {
            await using var redis = await RedisProcess.StartAsync();
            await ClusterJobsAsync("redis-1-server", redis.Endpoint, () => redis.CpuSeconds);
        }
        {
            await using var cluster = await RedisClusterProcess.StartAsync();
            await ClusterJobsAsync("redis-cluster", cluster.Endpoint, () => cluster.CpuSeconds);
        }
        Results.Ran.Add("10");
        foreach (var system in ClusterSystems)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {system,-16} bursts {Results.Median("10-fanout", system, "deliveriesPerSec"),9:0} /s {Results.Median("10-fanout", system, "serverCpuUsPerMsg"),6:0.00} µs;"
                + $" targeted {Results.Median("10-targeted", system, "deliveriesPerSec"),8:0} /s {Results.Median("10-targeted", system, "serverCpuUsPerMsg"),6:0.0} µs"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  jobs/s: one Redis {Results.Median("10-jobs", "redis-1-server", "jobsPerSec"):0}, cluster {Results.Median("10-jobs", "redis-cluster", "jobsPerSec"):0}"));
    }

    private async Task TwoNodesOnAsync(string system, string endpoint, IReadOnlyList<RedisProcess> redis)
    {
        string[] args = [$"--Switchboard:Redis={endpoint}"];
        // One after the other, so the second node finds the key ring the first one wrote to Redis.
        await using var a = await Server.StartAsync($"switchboard-c-{system}-a", Dll("Switchboard.Bench.Server"), args, logs);
        await a.GetJsonAsync("/bench/stats");
        await using var b = await Server.StartAsync($"switchboard-c-{system}-b", Dll("Switchboard.Bench.Server"), args, logs);
        await ClusterPhasesAsync(system, [a, b], redis);
    }

    /// <summary>Connects the windows over <paramref name="nodes"/>, then measures bursts and targeted sends triggered on the first node.</summary>
    private async Task ClusterPhasesAsync(string system, Server[] nodes, IReadOnlyList<RedisProcess> redis)
    {
        var size = config.PayloadBytes;
        IReadOnlyList<int> redisPids = [.. redis.Select(r => r.Pid)];
        double RedisCpu() => redis.Sum(r => r.CpuSeconds);
        async Task<long> RedisMemory()
        {
            long used = 0;
            foreach (var r in redis)
            {
                used += await r.UsedMemoryAsync();
            }
            return used;
        }
        var memory0 = await RedisMemory();
        await using var loadgen = LoadGen.Start(Dll("LoadGen"), logs, $"loadgen-c-{system}");
        var connect = await ConnectAsync(loadgen, Sb, [.. nodes.Select(n => n.Url)], config.Windows);
        var open = (int)connect["open"]!;
        if (open == 0)
        {
            throw new InvalidOperationException($"{system}: no window could connect: {connect["errors"]?.ToJsonString()}");
        }
        var memoryConnected = await RedisMemory();
        var trigger = nodes[0];
        foreach (var peer in nodes.Skip(1))
        {
            await trigger.GetJsonAsync("/bench/add-peer-windows?url=" + Uri.EscapeDataString(peer.Url));
        }
        // Warm-up, not recorded.
        await PhaseAsync(nodes, redisPids, loadgen, Trigger(trigger, $"/bench/broadcast?count=20&size={size}&callers={NodeCallers}"), 20L * open);
        await PhaseAsync(nodes, redisPids, loadgen, Trigger(trigger, $"/bench/targeted?rounds=2&size={size}&callers={NodeCallers}"), 2L * open);
        for (var rep = 0; rep < config.Repeats; rep++)
        {
            var redis0 = RedisCpu();
            var p = await PhaseAsync(nodes, redisPids, loadgen, Trigger(trigger, $"/bench/broadcast?count={config.BurstCount}&size={size}&callers={NodeCallers}"),
                (long)config.BurstCount * open, repeat: config.BurstRepeat);
            Record("10-fanout", system, p);
            Results.Add("10-fanout", system, "redisCpuUsPerMsg", (RedisCpu() - redis0) * 1e6 / p.Delivered);
        }
        for (var rep = 0; rep < config.Repeats; rep++)
        {
            var redis0 = RedisCpu();
            var p = await PhaseAsync(nodes, redisPids, loadgen, Trigger(trigger, $"/bench/targeted?rounds={ClusterTargetedRounds}&size={size}&callers={NodeCallers}"),
                (long)ClusterTargetedRounds * open);
            Record("10-targeted", system, p);
            Results.Add("10-targeted", system, "redisCpuUsPerMsg", (RedisCpu() - redis0) * 1e6 / p.Delivered);
        }
        if (redis.Count > 0)
        {
            // Histories are capped, so after many messages per window this is the steady state, not a growth.
            Results.Add("10-redis-memory", system, "redisBytesPerWindowConnected", (memoryConnected - memory0) / (double)open);
            var messagesPerWindow = 2 + config.Repeats * ClusterTargetedRounds;
            Results.Add("10-redis-memory", system, "redisBytesPerHistoryEntry", (await RedisMemory() - memoryConnected) / ((double)open * messagesPerWindow));
        }
        var status = await loadgen.SendAsync(new JsonObject { ["cmd"] = "status" });
        if ((int)status["open"]! < open)
        {
            Note($"{system}: {open - (int)status["open"]!} windows were closed during the run: {status["lost"]?.ToJsonString()}");
        }
        await loadgen.SendAsync(new JsonObject { ["cmd"] = "close" });
    }

    /// <summary>Jobs/s of scenario 6a on one Redis or on the cluster (the bench queue lives in one slot, so one shard).</summary>
    private async Task ClusterJobsAsync(string system, string endpoint, Func<double> redisCpu)
    {
        var workers = config.JobWorkers.ToString(CultureInfo.InvariantCulture);
        await using var server = await Server.StartAsync($"{system}-jobs", Dll("Switchboard.Bench.Server"),
            [$"--Switchboard:Redis={endpoint}", "--Switchboard:Workers:Queues:0=bench", $"--Switchboard:Workers:Count={workers}"], logs);
        async Task<double> Cpu() => (await server.StatsAsync()).Cpu + redisCpu();
        await JobsAtFullSpeedAsync(server, Cpu, "10-jobs", system);
    }
}
