using System.Globalization;
using System.Text.Json.Nodes;

namespace Switchboard.Bench.Harness;

/// <summary>Scenario 8 (the scale curve) and the reconnect storm of scenario 1.</summary>
public sealed partial class Runner
{
    // Properties, not fields: Views (in another part of this class) reads them, and field initializers across parts run in no set order.
    /// <summary>Window counts the scale views can show (smoke, quick and full sizes); absent ones are skipped.</summary>
    private static int[] ScaleViewSizes => [20, 60, 1000, 3000, 5000, 18000];

    private static (string, string)[] ScaleMetrics =>
    [
        ("burstCpuUsPerMsg", "bursts: server CPU per delivery (µs)"), ("burstDeliveriesPerSec", "bursts: deliveries/s"),
        ("burstAllocBytesPerMsg", "bursts: server allocation per delivery (bytes)"), ("burstOtherLoadPct", "bursts: " + OtherLoadLabel),
        ("targetedCpuUsPerMsg", "targeted: server CPU per send (µs)"), ("targetedDeliveriesPerSec", "targeted: deliveries/s"),
        ("targetedAllocBytesPerMsg", "targeted: server allocation per send (bytes)"), ("targetedOtherLoadPct", "targeted: " + OtherLoadLabel),
        ("loadgenOpenFiles", "load generator's open files"), ("serverOpenFiles", "server's open files"),
    ];

    private static (string, string)[] StormMetrics =>
    [
        ("lohKiB", "large-object-heap allocation in the server (KiB)"), ("allocKiBPerWindow", "server allocation per reopened window (KiB)"),
        ("reconnectSeconds", "time to reopen the windows (s)"), ("serverCpuUsPerWindow", "server CPU per reopened window (µs)"), (OtherLoad, OtherLoadLabel),
    ];

    // ------------------------------------------------------------------ 8. scale curve
    /// <summary>
    /// One server per system, grown through <see cref="Config.ScaleSizes"/> windows; at each size bursts of broadcasts
    /// and rounds of one targeted send per window, about <see cref="Config.ScaleDeliveries"/> deliveries per sample, so
    /// a sample takes about as long at every size. One load generator holds every window: each is one socket (one open
    /// file) there, so 18,000 windows stay under the 20,000 open files a process may have; the open-file rows show it.
    /// Switchboard's own window limit (by default 80% of the open-file limit: 16,000 here) is raised to the servers'
    /// Kestrel limit, 19,000, as an application sized for it would.
    /// </summary>
    public async Task ScaleAsync()
    {
        var payload = config.PayloadBytes;
        foreach (var (project, kind, defaultArgs) in MessagingServers)
        {
            string[] serverArgs = kind == Sb ? [.. defaultArgs, $"--Switchboard:MaxWindows={BenchHost.MaxConnections}"] : defaultArgs;
            await using var server = await Server.StartAsync($"{kind}-scale", Dll(project), serverArgs, logs);
            await using var loadgen = LoadGen.Start(Dll("LoadGen"), logs, $"loadgen-{kind}-scale");
            var open = 0;
            foreach (var windows in config.ScaleSizes)
            {
                var connect = await ConnectAsync(loadgen, kind, [server.Url], windows - open);
                open = (int)connect["open"]!;
                if (open == 0)
                {
                    throw new InvalidOperationException($"{kind}: no window could connect: {connect["errors"]?.ToJsonString()}");
                }
                if (open < windows * 0.99)
                {
                    Note($"scale {kind} {windows}: only {open} windows open ({connect["errors"]?.ToJsonString()})");
                }
                var key = $"8-scale-{windows:00000}";
                var count = Math.Max(1, config.ScaleDeliveries / open);
                var burst = Trigger(server, $"/bench/broadcast?count={count}&size={payload}");
                var targeted = Trigger(server, $"/bench/targeted?rounds={count}&size={payload}");
                if (config.WarmUp)
                {
                    // Warm-up at each size (JIT the first time, then pools and queues grown for this many windows).
                    await PhaseAsync([server], [], loadgen, Trigger(server, $"/bench/broadcast?count={Math.Max(1, count / 5)}&size={payload}"), Math.Max(1, count / 5) * (long)open);
                    await PhaseAsync([server], [], loadgen, Trigger(server, $"/bench/targeted?rounds=1&size={payload}"), open);
                }
                for (var rep = 0; rep < config.Repeats; rep++)
                {
                    RecordAs(key, kind, "burst", await PhaseAsync([server], [], loadgen, burst, (long)count * open));
                }
                for (var rep = 0; rep < config.Repeats; rep++)
                {
                    RecordAs(key, kind, "targeted", await PhaseAsync([server], [], loadgen, targeted, (long)count * open));
                }
                Results.Add(key, kind, "loadgenOpenFiles", OpenFiles(loadgen.Pid));
                Results.Add(key, kind, "serverOpenFiles", OpenFiles(server.Pid));
                Console.WriteLine($"  {kind,-12} {open,6} windows: bursts {Results.Median(key, kind, "burstCpuUsPerMsg"),5:0.00} µs/delivery,"
                    + $" targeted {Results.Median(key, kind, "targetedCpuUsPerMsg"),5:0.00} µs/send; open files {OpenFiles(loadgen.Pid)} (load generator), {OpenFiles(server.Pid)} (server)");
            }
            var status = await loadgen.SendAsync(new JsonObject { ["cmd"] = "status" });
            if ((int)status["open"]! < open)
            {
                Note($"scale {kind}: {open - (int)status["open"]!} windows were closed during the run: {status["lost"]?.ToJsonString()}");
            }
            await loadgen.SendAsync(new JsonObject { ["cmd"] = "close" });
            var smallest = $"8-scale-{config.ScaleSizes[0]:00000}";
            var largest = $"8-scale-{config.ScaleSizes[^1]:00000}";
            Results.Add("8-scale-ratio", kind, "burstCpuRatio", Results.Median(largest, kind, "burstCpuUsPerMsg") / Results.Median(smallest, kind, "burstCpuUsPerMsg"));
            Results.Add("8-scale-ratio", kind, "targetedCpuRatio", Results.Median(largest, kind, "targetedCpuUsPerMsg") / Results.Median(smallest, kind, "targetedCpuUsPerMsg"));
            Results.Add("8-scale-ratio", kind, "largestWindows", config.ScaleSizes[^1] / (double)config.ScaleSizes[0]);
        }
        Results.Ran.Add("8");
    }

    /// <summary>Open files of a process (its /proc/PID/fd entries); NaN when they cannot be read.</summary>
    private static double OpenFiles(int pid)
    {
        try
        {
            return Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    private void RecordAs(string scenario, string system, string prefix, Phase p)
    {
        Results.Add(scenario, system, prefix + "CpuUsPerMsg", p.ServerCpuUsPerMsg);
        Results.Add(scenario, system, prefix + "DeliveriesPerSec", p.DeliveriesPerSec);
        Results.Add(scenario, system, prefix + "AllocBytesPerMsg", p.AllocBytesPerMsg);
        Results.Add(scenario, system, prefix + "OtherLoadPct", p.OtherLoadPct);
    }

    // ------------------------------------------------------------------ 1c. reconnect storm
    /// <summary>
    /// Every open window dropped at once (RST), then as many reopened, <see cref="Config.StormConcurrency"/> at a time,
    /// while the server is still tearing the old ones down. Large-object-heap bytes come from the server's
    /// GCAllocationTick events of kind Large (<see cref="LohCounter"/>).
    /// </summary>
    private async Task ReconnectStormAsync(Server server, LoadGen loadgen, string kind, int size, int open)
    {
        await QuietAsync();
        await server.GetJsonAsync("/bench/loh/start");
        var (cpu0, alloc0) = await server.StatsAsync();
        var lg0 = (double)(await loadgen.SendAsync(new JsonObject { ["cmd"] = "status" }))["cpuSeconds"]!;
        var busy0 = MachineLoad.BusySeconds();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        await loadgen.SendAsync(new JsonObject { ["cmd"] = "close" });
        var connect = await ConnectAsync(loadgen, kind, [server.Url], open, config.StormConcurrency);
        var elapsed = wall.Elapsed.TotalSeconds;
        var busy = MachineLoad.BusySeconds() - busy0;
        var lg = (double)(await loadgen.SendAsync(new JsonObject { ["cmd"] = "status" }))["cpuSeconds"]! - lg0;
        var (cpu1, alloc1) = await server.StatsAsync();
        var loh = await server.GetJsonAsync("/bench/loh/stop");
        var reopened = (int)connect["open"]!;
        if (reopened < open)
        {
            Note($"reconnect storm {kind}: {reopened} of {open} windows reopened ({connect["errors"]?.ToJsonString()})");
        }
        var key = $"1-reconnect-{size:00000}";
        Results.Add(key, kind, "lohKiB", (double)loh["lohBytes"]! / 1024);
        Results.Add(key, kind, "allocKiBPerWindow", (alloc1 - alloc0) / Math.Max(1, reopened) / 1024);
        Results.Add(key, kind, "reconnectSeconds", (double)connect["seconds"]!);
        Results.Add(key, kind, "serverCpuUsPerWindow", (cpu1 - cpu0) * 1e6 / Math.Max(1, reopened));
        Results.Add(key, kind, OtherLoad, Math.Max(0, busy - (cpu1 - cpu0) - lg) / (elapsed * Environment.ProcessorCount) * 100);
        // Which types: the object that crossed each ~100 KB tick (for a large object, the object itself).
        var types = string.Join(", ", (loh["types"]?.AsArray() ?? []).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t!["type"]} {(double)t["bytes"]! / 1024:0} KiB")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {kind,-12} reconnect storm of {reopened} windows: {(double)loh["lohBytes"]! / 1024:0} KiB LOH ({types}), {(double)connect["seconds"]!:0.00} s"));
    }
}
