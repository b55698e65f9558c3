using System.Globalization;
using System.Text.Json.Nodes;

namespace Switchboard.Bench.Harness;

/// <summary>The scenarios of issues 5 and 9. Each system runs in its own server process; the load generator in another.</summary>
public sealed partial class Runner(Config config, string bench, string logs, bool quiet = false)
{
    /// <summary>A phase during which other processes used more of the machine than this is measured again (twice at most).</summary>
    private const double DisturbedPct = 20;
    private const string Sb = "switchboard";
    private const string SignalR = "signalr";
    private const string Raw = "raw";

    public Results Results { get; } = new();

    private string Dll(string project) => Path.Combine(bench, project, "bin", "Release", "net10.0", project + ".dll");

    private static readonly string[] MessagingSystems = [Sb, SignalR, Raw];
    private const string OtherLoad = "otherLoadPct";
    private const string OtherLoadLabel = "other processes' CPU during the phase (% of the machine)";
    private static readonly (string, string)[] VsBaselines = [(Sb, SignalR), (Sb, Raw)];

    public static IReadOnlyList<ScenarioView> Views { get; } =
    [
        .. new[] { 1000, 5000, 10000, 50 }.Select(n => new ScenarioView($"1-memory-{n:00000}", $"1. Idle memory per window, {n} windows (after a full GC)",
            MessagingSystems, VsBaselines,
            [("rssKiBPerWindow", "RSS per window (KiB)"), ("heapKiBPerWindow", "managed heap per window (KiB)"), ("rssMiB", "process RSS (MiB)"), ("connectSeconds", "time to open the windows (s)")])),
        .. new[] { 1000, 5000, 10000, 50 }.Select(n => new ScenarioView($"1-reconnect-{n:00000}",
            $"1c. Reconnect storm: the {n} windows dropped at once, then reopened (256 opening at a time)", MessagingSystems, VsBaselines, StormMetrics)),
        new("2-burst", "2a. Broadcast fan-out in bursts (deliveries/s to N windows)", MessagingSystems, VsBaselines,
        [
            ("deliveriesPerSec", "deliveries/s"), ("serverCpuUsPerMsg", "server CPU per delivery (µs)"), ("allocBytesPerMsg", "server allocation per delivery (bytes)"),
            ("p99Ms", "p99 call→receive (ms)"), ("loadgenCpuUsPerMsg", "load generator CPU per delivery (µs)"), (OtherLoad, OtherLoadLabel),
        ]),
        new("2-rate", "2b. Broadcast at a fixed offered rate", MessagingSystems, VsBaselines,
        [
            ("serverCpuUsPerMsg", "server CPU per delivery (µs)"), ("deliveriesPerSec", "achieved deliveries/s"), ("allocBytesPerMsg", "server allocation per delivery (bytes)"),
            ("loadgenCpuUsPerMsg", "load generator CPU per delivery (µs)"), (OtherLoad, OtherLoadLabel),
        ]),
        new("3-targeted", "3. Targeted sends: one message to each window (WINDOW topic / Clients.Client / per-socket)", MessagingSystems, VsBaselines,
        [
            ("deliveriesPerSec", "deliveries/s"), ("serverCpuUsPerMsg", "server CPU per delivery (µs)"), ("allocBytesPerMsg", "server allocation per delivery (bytes)"),
            ("p99Ms", "p99 call→receive (ms)"), (OtherLoad, OtherLoadLabel),
        ]),
        new("4-latency", "4. Latency from the server call to the window's receive, at the fixed offered rate", MessagingSystems, VsBaselines,
            [("p50Ms", "p50 (ms)"), ("p95Ms", "p95 (ms)"), ("p99Ms", "p99 (ms)"), ("maxMs", "max (ms)")]),
        new("5-roundtrip", "5. Round trip: window call → server handler → reply to the window (SignalR: invoke)", MessagingSystems, VsBaselines,
            [("p50Ms", "p50 (ms)"), ("p95Ms", "p95 (ms)"), ("p99Ms", "p99 (ms)"), ("callsPerSec", "calls/s (closed loop)"), ("serverCpuUsPerCall", "server CPU per call (µs)")]),
        new("5b-invoke", "5b. Invoke round trip: window invokes a remote function → worker → result to the window (SignalR: invoke)", [Sb, SignalR], [(Sb, SignalR)],
            [("p50Ms", "p50 (ms)"), ("p95Ms", "p95 (ms)"), ("p99Ms", "p99 (ms)"), ("callsPerSec", "invokes/s (closed loop)"), ("serverCpuUsPerCall", "server CPU per invoke (µs)")]),
        new("6-jobs-max", "6a. Server-signal jobs at full speed (producers, server and redis-server share the cores)",
            ["switchboard-redis", "hangfire-redis", "switchboard-memory"], [("switchboard-redis", "hangfire-redis")],
            [("jobsPerSec", "jobs/s (enqueue of the first to start of the last)"), ("cpuSecPer1000", "CPU-s per 1,000 jobs (process + redis)"), ("pickupP50Ms", "pickup p50 (ms)"), ("pickupP99Ms", "pickup p99 (ms)")]),
        new("6-jobs-paced", "6b. Job pickup latency at a paced 200 jobs/s",
            ["switchboard-redis", "hangfire-redis", "switchboard-memory"], [("switchboard-redis", "hangfire-redis")],
            [("pickupP50Ms", "pickup p50 (ms)"), ("pickupP95Ms", "pickup p95 (ms)"), ("pickupP99Ms", "pickup p99 (ms)"), ("cpuSecPer1000", "CPU-s per 1,000 jobs (process + redis)")]),
        new("6-jobs-ordered", $"6c. The cost of ordering: jobs/s of calls from {OrderedWindows:N0} windows, each window's in order (its key), vs the same jobs without key (8 producers, 8 workers)",
            ["redis-unordered", "redis-ordered", "memory-unordered", "memory-ordered"], [("redis-ordered", "redis-unordered"), ("memory-ordered", "memory-unordered")],
            [("jobsPerSec", "jobs/s (enqueue of the first to start of the last)"), ("cpuSecPer1000", "CPU-s per 1,000 jobs (process + redis)"),
             ("pickupP50Ms", "pickup p50 (ms)"), ("pickupP99Ms", "pickup p99 (ms)"), (OtherLoad, OtherLoadLabel)]),
        new("7-nodes", "7. Broadcast bursts from 8 concurrent callers: two nodes over Redis vs one node in memory (same windows in total)",
            ["memory-1-node", "redis-2-nodes"], [("redis-2-nodes", "memory-1-node")],
            [("deliveriesPerSec", "deliveries/s"), ("serverCpuUsPerMsg", "CPU per delivery, all servers + redis (µs)"), ("p99Ms", "p99 call→receive (ms)"), (OtherLoad, OtherLoadLabel)]),
        .. ScaleViewSizes.Select(n => new ScenarioView($"8-scale-{n:00000}", $"8. Scale curve: {n} windows on one node (bursts of broadcasts, then one targeted send per window)",
            MessagingSystems, VsBaselines, ScaleMetrics)),
        new("8-scale-ratio", "8. Scale curve: cost per delivery at the largest ÷ at the smallest number of windows (1.0 = flat)", MessagingSystems, [],
            [("burstCpuRatio", "server CPU per delivery, bursts"), ("targetedCpuRatio", "server CPU per targeted send"), ("largestWindows", "largest ÷ smallest windows")]),
        new("9-roundtrip-redis", "9. Round trip on Redis: two web nodes + a worker process (Switchboard), two nodes with the Redis backplane (SignalR invoke)",
            [Sb, SignalR], [(Sb, SignalR)], RedisRoundTripMetrics),
        .. ClusterViews,
    ];

    public static IReadOnlyList<Target> Targets { get; } =
    [
        new("Idle memory per window (RSS), 5k windows", "1-memory-05000", "rssKiBPerWindow", Sb, SignalR, 0.33, AtMost: true),
        new("Idle memory per window (RSS), 10k windows", "1-memory-10000", "rssKiBPerWindow", Sb, SignalR, 0.33, AtMost: true),
        new("Server CPU per delivery, fixed rate", "2-rate", "serverCpuUsPerMsg", Sb, SignalR, 0.33, AtMost: true),
        new("Server CPU per delivery, bursts", "2-burst", "serverCpuUsPerMsg", Sb, SignalR, 0.33, AtMost: true),
        new("Burst throughput vs SignalR", "2-burst", "deliveriesPerSec", Sb, SignalR, 2, AtMost: false),
        new("Burst throughput vs raw loop", "2-burst", "deliveriesPerSec", Sb, Raw, 0.8, AtMost: false),
        new("Targeted throughput vs SignalR", "3-targeted", "deliveriesPerSec", Sb, SignalR, 2, AtMost: false),
        new("Targeted throughput vs raw loop", "3-targeted", "deliveriesPerSec", Sb, Raw, 0.8, AtMost: false),
        new("p99 latency at fixed rate", "4-latency", "p99Ms", Sb, SignalR, 0.5, AtMost: true),
        new("Round trip p50", "5-roundtrip", "p50Ms", Sb, SignalR, 1, AtMost: true),
        new("Round trip p99", "5-roundtrip", "p99Ms", Sb, SignalR, 1, AtMost: true),
        new("Invoke round trip p50", "5b-invoke", "p50Ms", Sb, SignalR, 1, AtMost: true),
        new("Invoke round trip p99", "5b-invoke", "p99Ms", Sb, SignalR, 1, AtMost: true),
        new("Jobs/s vs Hangfire (both on Redis)", "6-jobs-max", "jobsPerSec", "switchboard-redis", "hangfire-redis", 10, AtMost: false),
        new("Job pickup p50 at 200/s (Redis)", "6-jobs-paced", "pickupP50Ms", "switchboard-redis", "", 5, AtMost: true, AbsoluteUnit: "ms"),
        new("Two Redis nodes vs one in-memory node", "7-nodes", "deliveriesPerSec", "redis-2-nodes", "memory-1-node", 0.7, AtMost: false),
        new("Scale curve: CPU per burst delivery, largest ÷ smallest windows", "8-scale-ratio", "burstCpuRatio", Sb, "", 1.2, AtMost: true, AbsoluteUnit: "×"),
        new("Scale curve: CPU per targeted send, largest ÷ smallest windows", "8-scale-ratio", "targetedCpuRatio", Sb, "", 1.2, AtMost: true, AbsoluteUnit: "×"),
        new("Round trip on Redis p50", "9-roundtrip-redis", "p50Ms", Sb, SignalR, 1, AtMost: true),
        new("Round trip on Redis p99", "9-roundtrip-redis", "p99Ms", Sb, SignalR, 1, AtMost: true),
    ];

    private (string Project, string Kind, string[] Args)[] MessagingServers =>
    [
        ("Switchboard.Bench.Server", "switchboard", []),
        ("SignalRServer", "signalr", []),
        ("RawServer", "raw", []),
    ];

    // ------------------------------------------------------------------ 1. memory
    /// <summary>One closed-loop round-trip phase (sequential calls per window), recorded under <paramref name="scenario"/>.</summary>
    private async Task RoundTripAsync(Server server, LoadGen loadgen, string kind, string scenario, bool invoke)
    {
        await QuietAsync();
        var (cpu0, _) = await server.StatsAsync();
        var r = await loadgen.SendAsync(new JsonObject
        {
            ["cmd"] = "roundtrip", ["windows"] = config.RoundTripWindows, ["calls"] = config.RoundTripCalls, ["invoke"] = invoke,
        });
        var cpu = (await server.StatsAsync()).Cpu - cpu0;
        var calls = (double)r["calls"]!;
        if (calls == 0)
        {
            throw new InvalidOperationException($"{kind}: no {(invoke ? "invoke" : "round trip")} completed");
        }
        Results.Add(scenario, kind, "p50Ms", (double)r["p50Ms"]!);
        Results.Add(scenario, kind, "p95Ms", (double)r["p95Ms"]!);
        Results.Add(scenario, kind, "p99Ms", (double)r["p99Ms"]!);
        Results.Add(scenario, kind, "callsPerSec", (double)r["perSecond"]!);
        Results.Add(scenario, kind, "serverCpuUsPerCall", cpu * 1e6 / calls);
        if ((int)r["failed"]! > 0)
        {
            Note($"{(invoke ? "invoke" : "round trip")} {kind}: {r["failed"]} windows failed a call");
        }
    }

    public async Task MemoryAsync()
    {
        foreach (var (project, kind, serverArgs) in MessagingServers)
        {
            for (var rep = 0; rep < config.MemoryRepeats; rep++)
            {
                await using var server = await Server.StartAsync($"{kind}-memory-{rep}", Dll(project), serverArgs, logs);
                await using var loadgen = LoadGen.Start(Dll("LoadGen"), logs, $"loadgen-{kind}-memory-{rep}");
                // Warm up the code paths (JIT, pools) with a few windows, then measure from an idle baseline.
                await ConnectAsync(loadgen, kind, [server.Url], 20);
                await loadgen.SendAsync(new JsonObject { ["cmd"] = "close" });
                await Task.Delay(500);
                var baseline = await server.GetJsonAsync("/bench/gc");
                var open = 0;
                foreach (var size in config.MemorySizes)
                {
                    var connect = await ConnectAsync(loadgen, kind, [server.Url], size - open);
                    open = (int)connect["open"]!;
                    if (open < size * 0.99)
                    {
                        Note($"memory {kind} {size}: only {open} windows open ({connect["errors"]?.ToJsonString()})");
                    }
                    await Task.Delay(1000);
                    var gc = await server.GetJsonAsync("/bench/gc");
                    var scenario = $"1-memory-{size:00000}";
                    var rss = (double)gc["rssBytes"]! - (double)baseline["rssBytes"]!;
                    var heap = (double)gc["heapBytes"]! - (double)baseline["heapBytes"]!;
                    Results.Add(scenario, kind, "rssKiBPerWindow", rss / open / 1024);
                    Results.Add(scenario, kind, "heapKiBPerWindow", heap / open / 1024);
                    Results.Add(scenario, kind, "rssMiB", (double)gc["rssBytes"]! / 1024 / 1024);
                    Results.Add(scenario, kind, "connectSeconds", (double)connect["seconds"]!);
                    Results.Ran.Add("1");
                    Console.WriteLine($"  {kind,-12} {size,6} windows: {rss / open / 1024,6:0.0} KiB RSS, {heap / open / 1024,6:0.0} KiB heap per window");
                }
                await ReconnectStormAsync(server, loadgen, kind, config.MemorySizes[^1], open);
                await loadgen.SendAsync(new JsonObject { ["cmd"] = "close" });
            }
        }
    }

    // ------------------------------------------------------------------ 2-5. messaging
    public async Task MessagingAsync()
    {
        foreach (var (project, kind, serverArgs) in MessagingServers)
        {
            await using var server = await Server.StartAsync($"{kind}-messaging", Dll(project), serverArgs, logs);
            await using var loadgen = LoadGen.Start(Dll("LoadGen"), logs, $"loadgen-{kind}-messaging");
            var connect = await ConnectAsync(loadgen, kind, [server.Url], config.Windows);
            var open = (int)connect["open"]!;
            if (open == 0)
            {
                throw new InvalidOperationException($"{kind}: no window could connect: {connect["errors"]?.ToJsonString()}");
            }
            var size = config.PayloadBytes;
            var broadcastsPerSecond = config.OfferedPerSecond / open;
            var rateCount = Math.Max(1, (int)Math.Round(broadcastsPerSecond * config.RateSeconds));

            // Warm-up, not recorded: JIT and pools of every path.
            await PhaseAsync([server], [], loadgen, Trigger(server, $"/bench/broadcast?count=20&size={size}"), 20L * open);
            await PhaseAsync([server], [], loadgen, Trigger(server, $"/bench/targeted?rounds=2&size={size}"), 2L * open);
            await loadgen.SendAsync(new JsonObject { ["cmd"] = "roundtrip", ["windows"] = config.RoundTripWindows, ["calls"] = 20 });
            if (kind == Sb)
            {
                await loadgen.SendAsync(new JsonObject { ["cmd"] = "roundtrip", ["windows"] = config.RoundTripWindows, ["calls"] = 20, ["invoke"] = true });
            }

            for (var rep = 0; rep < config.Repeats; rep++)
            {
                var p = await PhaseAsync([server], [], loadgen, Trigger(server, $"/bench/broadcast?count={config.BurstCount}&size={size}"), (long)config.BurstCount * open,
                    repeat: config.BurstRepeat);
                Record("2-burst", kind, p);
            }
            for (var rep = 0; rep < config.Repeats; rep++)
            {
                var rate = broadcastsPerSecond.ToString("0.###", CultureInfo.InvariantCulture);
                var p = await PhaseAsync([server], [], loadgen, Trigger(server, $"/bench/broadcast?count={rateCount}&size={size}&rate={rate}"), (long)rateCount * open,
                    timeoutMs: (int)(config.RateSeconds * 1000) + 60_000);
                Record("2-rate", kind, p);
                Results.Add("4-latency", kind, "p50Ms", p.P50Ms);
                Results.Add("4-latency", kind, "p95Ms", p.P95Ms);
                Results.Add("4-latency", kind, "p99Ms", p.P99Ms);
                Results.Add("4-latency", kind, "maxMs", p.MaxMs);
            }
            for (var rep = 0; rep < config.Repeats; rep++)
            {
                var p = await PhaseAsync([server], [], loadgen, Trigger(server, $"/bench/targeted?rounds={config.TargetedRounds}&size={size}"), (long)config.TargetedRounds * open,
                    repeat: config.TargetedRepeat);
                Record("3-targeted", kind, p);
            }
            for (var rep = 0; rep < config.Repeats; rep++)
            {
                await RoundTripAsync(server, loadgen, kind, "5-roundtrip", invoke: false);
            }
            // Remote functions (issue 11): df.invoke against SignalR's invoke, which is what its round trip above is.
            for (var rep = 0; rep < config.Repeats && kind is Sb or SignalR; rep++)
            {
                await RoundTripAsync(server, loadgen, kind, "5b-invoke", invoke: kind == Sb);
            }
            var status = await loadgen.SendAsync(new JsonObject { ["cmd"] = "status" });
            if ((int)status["open"]! < open)
            {
                Note($"{kind}: {open - (int)status["open"]!} windows were closed during the run: {status["lost"]?.ToJsonString()}");
            }
            Results.Ran.UnionWith(["2", "3", "4", "5"]);
            Console.WriteLine($"  {kind,-12} burst {Results.Median("2-burst", kind, "deliveriesPerSec"),10:0} /s, {Results.Median("2-burst", kind, "serverCpuUsPerMsg"),5:0.00} µs;"
                + $" rate {Results.Median("2-rate", kind, "serverCpuUsPerMsg"),5:0.00} µs p99 {Results.Median("4-latency", kind, "p99Ms"):0.0} ms;"
                + $" targeted {Results.Median("3-targeted", kind, "deliveriesPerSec"),9:0} /s; round trip p50 {Results.Median("5-roundtrip", kind, "p50Ms"):0.000} ms"
                + (kind is Sb or SignalR ? $", invoke p50 {Results.Median("5b-invoke", kind, "p50Ms"):0.000} ms" : ""));
            await loadgen.SendAsync(new JsonObject { ["cmd"] = "close" });
        }
    }

    // ------------------------------------------------------------------ 6. jobs
    public async Task JobsAsync()
    {
        if (!RedisProcess.Available())
        {
            throw new InvalidOperationException("redis-server/redis-cli not found (apt-get install redis-server)");
        }
        var workers = config.JobWorkers.ToString(CultureInfo.InvariantCulture);
        var systems = new (string Name, string Project, bool Redis, Func<string, string[]> Args)[]
        {
            ("switchboard-redis", "Switchboard.Bench.Server", true, r => [$"--Switchboard:Redis={r}", "--Switchboard:Workers:Queues:0=bench", $"--Switchboard:Workers:Count={workers}"]),
            ("hangfire-redis", "HangfireServer", true, r => [$"--Redis={r}", $"--Workers={workers}"]),
            ("switchboard-memory", "Switchboard.Bench.Server", false, _ => [$"--Switchboard:Workers:Count={workers}"]),
        };
        foreach (var (name, project, useRedis, makeArgs) in systems)
        {
            await using var redis = useRedis ? await RedisProcess.StartAsync() : null;
            await using var server = await Server.StartAsync($"{name}-jobs", Dll(project), makeArgs(redis?.Endpoint ?? ""), logs);
            async Task<double> Cpu() => (await server.StatsAsync()).Cpu + (redis?.CpuSeconds ?? 0);
            await JobsAtFullSpeedAsync(server, Cpu, "6-jobs-max", name);
            var paced = Math.Max(1, (int)(config.JobsPacedRate * config.JobsPacedSeconds));
            for (var rep = 0; rep < config.Repeats; rep++)
            {
                await QuietAsync();
                var cpu0 = await Cpu();
                var r = await server.GetJsonAsync($"/bench/jobs?count={paced}&rate={config.JobsPacedRate}&timeoutMs=120000");
                var cpu = await Cpu() - cpu0;
                var done = (double)r["done"]!;
                if (done == 0)
                {
                    throw new InvalidOperationException($"{name}: no paced job ran");
                }
                Results.Add("6-jobs-paced", name, "pickupP50Ms", (double)r["pickupP50Ms"]!);
                Results.Add("6-jobs-paced", name, "pickupP95Ms", (double)r["pickupP95Ms"]!);
                Results.Add("6-jobs-paced", name, "pickupP99Ms", (double)r["pickupP99Ms"]!);
                Results.Add("6-jobs-paced", name, "cpuSecPer1000", cpu / done * 1000);
            }
            Console.WriteLine($"  {name,-20} {Results.Median("6-jobs-max", name, "jobsPerSec"),8:0} jobs/s, {Results.Median("6-jobs-max", name, "cpuSecPer1000"):0.00} CPU-s/1000;"
                + $" paced pickup p50 {Results.Median("6-jobs-paced", name, "pickupP50Ms"):0.00} ms p99 {Results.Median("6-jobs-paced", name, "pickupP99Ms"):0.00} ms");
            if (name.StartsWith("switchboard-", StringComparison.Ordinal))
            {
                await OrderedJobsAsync(server, redis, useRedis ? "redis" : "memory");
            }
        }
        Results.Ran.Add("6");
    }

    /// <summary>Windows whose calls scenario 6c orders (one ordering key each).</summary>
    private const int OrderedWindows = 1000;

    /// <summary>
    /// 6c: the same jobs put straight on the queue with the ordering keys of 1,000 windows (round robin) or none,
    /// alternating, each run after a quiet wait; CPU of the server and redis-server, and of everything else meanwhile.
    /// </summary>
    private async Task OrderedJobsAsync(Server server, RedisProcess? redis, string backend)
    {
        var producers = config.JobProducers;
        await server.GetJsonAsync($"/bench/jobs-keyed?count=200&keys={OrderedWindows}&concurrency={producers}"); // warm-up
        for (var rep = 0; rep < config.Repeats; rep++)
        {
            foreach (var keys in new[] { OrderedWindows, 0 })
            {
                var system = backend + (keys > 0 ? "-ordered" : "-unordered");
                await QuietAsync();
                var cpu0 = (await server.StatsAsync()).Cpu + (redis?.CpuSeconds ?? 0);
                var busy0 = MachineLoad.BusySeconds();
                var wall = System.Diagnostics.Stopwatch.StartNew();
                var r = await server.GetJsonAsync($"/bench/jobs-keyed?count={config.JobsMax}&keys={keys}&concurrency={producers}&timeoutMs=300000");
                var elapsed = wall.Elapsed.TotalSeconds;
                var busy = MachineLoad.BusySeconds() - busy0;
                var cpu = (await server.StatsAsync()).Cpu + (redis?.CpuSeconds ?? 0) - cpu0;
                var done = (double)r["done"]!;
                if (done == 0)
                {
                    throw new InvalidOperationException($"{system}: no job ran");
                }
                if (!(bool)r["completed"]!)
                {
                    Note($"{system}: only {done} of {config.JobsMax} jobs ran before the timeout");
                }
                Results.Add("6-jobs-ordered", system, "jobsPerSec", (double)r["jobsPerSecond"]!);
                Results.Add("6-jobs-ordered", system, "cpuSecPer1000", cpu / done * 1000);
                Results.Add("6-jobs-ordered", system, "pickupP50Ms", (double)r["pickupP50Ms"]!);
                Results.Add("6-jobs-ordered", system, "pickupP99Ms", (double)r["pickupP99Ms"]!);
                Results.Add("6-jobs-ordered", system, OtherLoad, Math.Max(0, busy - cpu) / (elapsed * Environment.ProcessorCount) * 100);
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {backend}: ordered ({OrderedWindows} windows) {Results.Median("6-jobs-ordered", backend + "-ordered", "jobsPerSec"),8:0} jobs/s, "
            + $"{Results.Median("6-jobs-ordered", backend + "-ordered", "cpuSecPer1000"):0.00} CPU-s/1000; unordered "
            + $"{Results.Median("6-jobs-ordered", backend + "-unordered", "jobsPerSec"),8:0} jobs/s, {Results.Median("6-jobs-ordered", backend + "-unordered", "cpuSecPer1000"):0.00} CPU-s/1000"));
    }

    // ------------------------------------------------------------------ 7. two nodes
    /// <summary>
    /// Concurrent callers of the bursts of scenario 7 (both sides): one caller awaiting each call would measure the Redis
    /// round trip of every publish (about 3 ms on a saturated 2-core machine), not fan-out throughput.
    /// </summary>
    private const int NodeCallers = 8;

    public async Task TwoNodesAsync()
    {
        if (!RedisProcess.Available())
        {
            throw new InvalidOperationException("redis-server/redis-cli not found (apt-get install redis-server)");
        }
        var size = config.PayloadBytes;
        {
            await using var server = await Server.StartAsync("switchboard-1-node", Dll("Switchboard.Bench.Server"), [], logs);
            await using var loadgen = LoadGen.Start(Dll("LoadGen"), logs, "loadgen-1-node");
            var open = (int)(await ConnectAsync(loadgen, "switchboard", [server.Url], config.Windows))["open"]!;
            await PhaseAsync([server], [], loadgen, Trigger(server, $"/bench/broadcast?count=20&size={size}"), 20L * open);
            for (var rep = 0; rep < config.Repeats; rep++)
            {
                var p = await PhaseAsync([server], [], loadgen, Trigger(server, $"/bench/broadcast?count={config.BurstCount}&size={size}&callers={NodeCallers}"), (long)config.BurstCount * open,
                    repeat: config.BurstRepeat);
                Record("7-nodes", "memory-1-node", p);
            }
            await loadgen.SendAsync(new JsonObject { ["cmd"] = "close" });
        }
        {
            await using var redis = await RedisProcess.StartAsync();
            string[] args = [$"--Switchboard:Redis={redis.Endpoint}"];
            // One after the other, so the second node finds the key ring the first one wrote to Redis.
            await using var a = await Server.StartAsync("switchboard-node-a", Dll("Switchboard.Bench.Server"), args, logs);
            await a.GetJsonAsync("/bench/stats");
            await using var b = await Server.StartAsync("switchboard-node-b", Dll("Switchboard.Bench.Server"), args, logs);
            await using var loadgen = LoadGen.Start(Dll("LoadGen"), logs, "loadgen-2-nodes");
            var connect = await ConnectAsync(loadgen, "switchboard", [a.Url, b.Url], config.Windows);
            var open = (int)connect["open"]!;
            if (open == 0)
            {
                throw new InvalidOperationException("no window could connect to the Redis nodes: " + connect["errors"]?.ToJsonString());
            }
            await PhaseAsync([a, b], [redis.Pid], loadgen, Trigger(a, $"/bench/broadcast?count=20&size={size}"), 20L * open);
            for (var rep = 0; rep < config.Repeats; rep++)
            {
                var p = await PhaseAsync([a, b], [redis.Pid], loadgen, Trigger(a, $"/bench/broadcast?count={config.BurstCount}&size={size}&callers={NodeCallers}"), (long)config.BurstCount * open,
                    repeat: config.BurstRepeat);
                Record("7-nodes", "redis-2-nodes", p);
                if (p.Delivered == 0)
                {
                    throw new InvalidOperationException("nothing reached the windows of the two Redis nodes");
                }
            }
            await loadgen.SendAsync(new JsonObject { ["cmd"] = "close" });
        }
        Results.Ran.Add("7");
        Console.WriteLine($"  1 node in memory {Results.Median("7-nodes", "memory-1-node", "deliveriesPerSec"),10:0} /s; 2 Redis nodes {Results.Median("7-nodes", "redis-2-nodes", "deliveriesPerSec"),10:0} /s");
    }
}
