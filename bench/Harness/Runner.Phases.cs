using System.Text.Json.Nodes;

namespace Switchboard.Bench.Harness;

/// <summary>Helpers of every scenario: connecting windows, measuring one phase (CPU, allocations, latency), recording it.</summary>
public sealed partial class Runner
{
    private sealed record Phase(long Delivered, double DeliveriesPerSec, double ServerCpuUsPerMsg, double AllocBytesPerMsg, double LoadgenCpuUsPerMsg,
        double P50Ms, double P95Ms, double P99Ms, double MaxMs, double OtherLoadPct);

    private static string Trigger(Server server, string pathAndQuery) => server.Url + pathAndQuery;

    private async Task<JsonObject> ConnectAsync(LoadGen loadgen, string kind, string[] urls, int n, int concurrency = 32) =>
        await loadgen.SendAsync(new JsonObject
        {
            ["cmd"] = "connect",
            ["kind"] = kind,
            ["urls"] = new JsonArray([.. urls.Select(u => (JsonNode?)u)]),
            ["n"] = n,
            ["concurrency"] = concurrency,
            ["sources"] = config.Sources,
        }, TimeSpan.FromMinutes(10));

    /// <summary>One measured phase: server CPU (and allocations) before and after the load generator saw every delivery.</summary>
    private async Task<Phase> PhaseAsync(IReadOnlyList<Server> servers, IReadOnlyList<int> extraPids, LoadGen loadgen, string trigger, long expected, int timeoutMs = 60_000, int repeat = 1)
    {
        for (var attempt = 0; ; attempt++)
        {
            await QuietAsync();
            var phase = await MeasurePhaseAsync(servers, extraPids, loadgen, trigger, expected, timeoutMs, repeat);
            if (!quiet || phase.OtherLoadPct <= DisturbedPct || attempt == 2)
            {
                return phase;
            }
            Console.WriteLine($"  (other processes took {phase.OtherLoadPct:0}% of the machine during a phase: measuring it again)");
        }
    }

    /// <summary>With --wait-quiet, waits (up to 60 s) until other processes use less than 10% of the machine.</summary>
    private async Task QuietAsync()
    {
        if (quiet)
        {
            await MachineLoad.WaitQuietAsync(0.10, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
        }
    }

    private static async Task<Phase> MeasurePhaseAsync(IReadOnlyList<Server> servers, IReadOnlyList<int> extraPids, LoadGen loadgen, string trigger, long expected, int timeoutMs, int repeat)
    {
        await Task.Delay(200);
        var (cpu0, alloc0) = await SumStatsAsync(servers);
        var extra0 = extraPids.Sum(ProcStats.CpuSeconds);
        var busy0 = MachineLoad.BusySeconds();
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var r = await loadgen.SendAsync(new JsonObject { ["cmd"] = "run", ["trigger"] = trigger, ["expected"] = expected, ["timeoutMs"] = timeoutMs, ["repeat"] = repeat },
            TimeSpan.FromMilliseconds(timeoutMs * repeat + 120_000));
        var lg = (double)r["loadgenCpuSeconds"]!;
        var extra = extraPids.Sum(ProcStats.CpuSeconds) - extra0;
        var busy = MachineLoad.BusySeconds() - busy0;
        var elapsed = wall.Elapsed.TotalSeconds;
        var (cpu1, alloc1) = await SumStatsAsync(servers);
        var cpu = cpu1 - cpu0 + extra;
        // CPU of everything else on the machine during the phase (other sessions, the harness), in % of all cores.
        var otherLoad = Math.Max(0, busy - cpu - lg) / (elapsed * Environment.ProcessorCount) * 100;
        var delivered = (long)r["delivered"]!;
        if (delivered == 0)
        {
            throw new InvalidOperationException($"no delivery for {trigger}");
        }
        var n = (double)delivered;
        // GC.GetTotalAllocatedBytes(precise) went backwards once (SignalR, Server GC): such a sample is no sample.
        var allocated = alloc1 >= alloc0 ? (alloc1 - alloc0) / n : double.NaN;
        return new Phase(delivered, (double?)r["perSecond"] ?? double.NaN, cpu * 1e6 / n, allocated, lg * 1e6 / n,
            (double?)r["p50Ms"] ?? double.NaN, (double?)r["p95Ms"] ?? double.NaN, (double?)r["p99Ms"] ?? double.NaN, (double?)r["maxMs"] ?? double.NaN, otherLoad);
    }

    private static async Task<(double Cpu, double Allocated)> SumStatsAsync(IReadOnlyList<Server> servers)
    {
        double cpu = 0, allocated = 0;
        foreach (var s in servers)
        {
            var (c, a) = await s.StatsAsync();
            cpu += c;
            allocated += a;
        }
        return (cpu, allocated);
    }

    /// <summary>
    /// Scenario 6a's measurement (also 10c): a warm-up, then <see cref="Config.Repeats"/> runs of <see cref="Config.JobsMax"/>
    /// server-signal jobs from <see cref="Config.JobProducers"/> producers, recorded under <paramref name="scenario"/>.
    /// </summary>
    private async Task JobsAtFullSpeedAsync(Server server, Func<Task<double>> cpuSeconds, string scenario, string system)
    {
        var producers = config.JobProducers;
        await server.GetJsonAsync($"/bench/jobs?count=200&concurrency={producers}"); // warm-up
        for (var rep = 0; rep < config.Repeats; rep++)
        {
            await QuietAsync();
            var cpu0 = await cpuSeconds();
            var r = await server.GetJsonAsync($"/bench/jobs?count={config.JobsMax}&concurrency={producers}&timeoutMs=300000");
            var cpu = await cpuSeconds() - cpu0;
            var done = (double)r["done"]!;
            if (done == 0)
            {
                throw new InvalidOperationException($"{system}: no job ran");
            }
            if (!(bool)r["completed"]!)
            {
                Note($"{system}: only {done} of {config.JobsMax} jobs ran before the timeout");
            }
            Results.Add(scenario, system, "jobsPerSec", (double)r["jobsPerSecond"]!);
            Results.Add(scenario, system, "cpuSecPer1000", cpu / done * 1000);
            Results.Add(scenario, system, "pickupP50Ms", (double)r["pickupP50Ms"]!);
            Results.Add(scenario, system, "pickupP99Ms", (double)r["pickupP99Ms"]!);
        }
    }

    private void Record(string scenario, string system, Phase p)
    {
        Results.Add(scenario, system, "deliveriesPerSec", p.DeliveriesPerSec);
        Results.Add(scenario, system, "serverCpuUsPerMsg", p.ServerCpuUsPerMsg);
        Results.Add(scenario, system, "allocBytesPerMsg", p.AllocBytesPerMsg);
        Results.Add(scenario, system, "loadgenCpuUsPerMsg", p.LoadgenCpuUsPerMsg);
        Results.Add(scenario, system, "p50Ms", p.P50Ms);
        Results.Add(scenario, system, "p95Ms", p.P95Ms);
        Results.Add(scenario, system, "p99Ms", p.P99Ms);
        Results.Add(scenario, system, "maxMs", p.MaxMs);
        Results.Add(scenario, system, "otherLoadPct", p.OtherLoadPct);
    }

    private void Note(string note)
    {
        Console.WriteLine("  note: " + note);
        lock (Results.Notes)
        {
            Results.Notes.Add(note);
        }
    }
}
