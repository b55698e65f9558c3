using System.Globalization;
using System.Text.Json.Nodes;

namespace Switchboard.Bench.Harness;

/// <summary>Scenario 9: the round trip of scenario 5 across processes on one Redis.</summary>
public sealed partial class Runner
{
    private static (string, string)[] RedisRoundTripMetrics =>
    [
        ("p50Ms", "p50 (ms)"), ("p95Ms", "p95 (ms)"), ("p99Ms", "p99 (ms)"), ("callsPerSec", "calls/s (closed loop)"),
        ("serverCpuUsPerCall", "CPU per call, all servers + redis (µs)"), (OtherLoad, OtherLoadLabel),
    ];

    /// <summary>
    /// Switchboard: two web nodes (no workers: the Redis backend runs none unless queues are listed) and a worker
    /// process serving the queue of <c>bench.echo</c> (<c>default</c>), the windows split over the two nodes; a call
    /// goes node → Redis stream → worker → handler → Redis pub/sub → node → window. SignalR: two nodes with its Redis
    /// backplane; <c>invoke</c> completes on the node holding the connection (its hub method runs there).
    /// </summary>
    public async Task RedisRoundTripAsync()
    {
        if (!RedisProcess.Available())
        {
            throw new InvalidOperationException("redis-server/redis-cli not found (apt-get install redis-server)");
        }
        {
            await using var redis = await RedisProcess.StartAsync();
            string[] args = [$"--Switchboard:Redis={redis.Endpoint}"];
            // One after the other, so the others find the key ring the first one wrote to Redis.
            await using var a = await Server.StartAsync("switchboard-rt-node-a", Dll("Switchboard.Bench.Server"), args, logs);
            await a.GetJsonAsync("/bench/stats");
            var startB = Server.StartAsync("switchboard-rt-node-b", Dll("Switchboard.Bench.Server"), args, logs);
            var startWorker = Server.StartAsync("switchboard-rt-worker", Dll("Switchboard.Bench.Server"), [.. args, "--Switchboard:Workers:Queues:0=default"], logs);
            await using var b = await startB;
            await using var worker = await startWorker;
            await RoundTripsAsync(Sb, [a, b], [worker], redis);
        }
        {
            await using var redis = await RedisProcess.StartAsync();
            string[] args = [$"--Redis={redis.Endpoint}"];
            var startA = Server.StartAsync("signalr-rt-node-a", Dll("SignalRServer"), args, logs);
            var startB = Server.StartAsync("signalr-rt-node-b", Dll("SignalRServer"), args, logs);
            await using var a = await startA;
            await using var b = await startB;
            await RoundTripsAsync(SignalR, [a, b], [], redis);
        }
        Results.Ran.Add("9");
        Console.WriteLine($"  round trip on Redis p50 / p99: switchboard {Results.Median("9-roundtrip-redis", Sb, "p50Ms"):0.000} / {Results.Median("9-roundtrip-redis", Sb, "p99Ms"):0.000} ms,"
            + $" signalr {Results.Median("9-roundtrip-redis", SignalR, "p50Ms"):0.000} / {Results.Median("9-roundtrip-redis", SignalR, "p99Ms"):0.000} ms");
    }

    private async Task RoundTripsAsync(string kind, Server[] nodes, Server[] others, RedisProcess redis)
    {
        await using var loadgen = LoadGen.Start(Dll("LoadGen"), logs, $"loadgen-{kind}-rt-redis");
        var connect = await ConnectAsync(loadgen, kind, [.. nodes.Select(n => n.Url)], config.RoundTripWindows);
        if ((int)connect["open"]! < config.RoundTripWindows)
        {
            throw new InvalidOperationException($"{kind}: only {connect["open"]} of {config.RoundTripWindows} windows connected to the Redis nodes: {connect["errors"]?.ToJsonString()}");
        }
        Server[] servers = [.. nodes, .. others];
        if (config.WarmUp)
        {
            await loadgen.SendAsync(new JsonObject { ["cmd"] = "roundtrip", ["windows"] = config.RoundTripWindows, ["calls"] = 20 });
        }
        for (var rep = 0; rep < config.Repeats; rep++)
        {
            await QuietAsync();
            var (cpu0, _) = await SumStatsAsync(servers);
            var redis0 = redis.CpuSeconds;
            var lg0 = (double)(await loadgen.SendAsync(new JsonObject { ["cmd"] = "status" }))["cpuSeconds"]!;
            var busy0 = MachineLoad.BusySeconds();
            var wall = System.Diagnostics.Stopwatch.StartNew();
            var r = await loadgen.SendAsync(new JsonObject { ["cmd"] = "roundtrip", ["windows"] = config.RoundTripWindows, ["calls"] = config.RoundTripCalls });
            var elapsed = wall.Elapsed.TotalSeconds;
            var busy = MachineLoad.BusySeconds() - busy0;
            var lg = (double)(await loadgen.SendAsync(new JsonObject { ["cmd"] = "status" }))["cpuSeconds"]! - lg0;
            var cpu = (await SumStatsAsync(servers)).Cpu - cpu0 + (redis.CpuSeconds - redis0);
            var calls = (double)r["calls"]!;
            if (calls == 0)
            {
                throw new InvalidOperationException($"{kind}: no round trip completed over Redis");
            }
            if ((int)r["failed"]! > 0)
            {
                Note($"round trip on Redis, {kind}: {r["failed"]} windows failed a call");
            }
            Results.Add("9-roundtrip-redis", kind, "p50Ms", (double)r["p50Ms"]!);
            Results.Add("9-roundtrip-redis", kind, "p95Ms", (double)r["p95Ms"]!);
            Results.Add("9-roundtrip-redis", kind, "p99Ms", (double)r["p99Ms"]!);
            Results.Add("9-roundtrip-redis", kind, "callsPerSec", (double)r["perSecond"]!);
            Results.Add("9-roundtrip-redis", kind, "serverCpuUsPerCall", cpu * 1e6 / calls);
            Results.Add("9-roundtrip-redis", kind, OtherLoad, Math.Max(0, busy - cpu - lg) / (elapsed * Environment.ProcessorCount) * 100);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {kind,-12} on Redis: p50 {Results.Median("9-roundtrip-redis", kind, "p50Ms"):0.000} ms, p99 {Results.Median("9-roundtrip-redis", kind, "p99Ms"):0.000} ms"));
        await loadgen.SendAsync(new JsonObject { ["cmd"] = "close" });
    }
}
