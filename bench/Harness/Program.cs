using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Bench;
using Switchboard.Bench.Harness;

// bench/run.sh runs this after building: dotnet bench/Harness/bin/Release/net10.0/Harness.dll [--quick|--full|--smoke]
//   [--only 1,2,...] [--out DIR] [--wait-quiet SECONDS (full: 180)] [--scale-sizes 1000,18000 (scenario 8's window counts)]. Starts every server and the load generator as separate processes on 127.0.0.1, runs the
// scenarios, writes DIR/<mode>-<time>.json and DIR/latest.md (full) or DIR/<mode>.md, and prints the table.
// Exit code: 0 when every selected scenario ran; 1 when one could not run (never because of a timing).
if (args is ["--soak", ..])
{
    // bench/soak.sh [--minutes M] [--windows N] [--out DIR]: the hour-long run of docs/operations.md, not a scenario.
    var soak = new SoakOptions();
    string? soakOut = null;
    for (var i = 1; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--minutes": soak = soak with { Minutes = double.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
            case "--windows": soak = soak with { Windows = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
            case "--out": soakOut = args[++i]; break;
            default: Console.Error.WriteLine($"soak: unknown argument {args[i]}"); return 2;
        }
    }
    var soakBench = FindBenchDirectory();
    soakOut ??= Path.Combine(soakBench, "results");
    Directory.CreateDirectory(soakOut);
    return await new Soak(soak, soakBench, soakOut).RunAsync();
}

var mode = "quick";
var only = new HashSet<int>();
string? outDir = null;
int? waitQuiet = null;
int[]? scaleSizes = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick": mode = "quick"; break;
        case "--full": mode = "full"; break;
        case "--smoke": mode = "smoke"; break;
        case "--only": foreach (var s in args[++i].Split(',')) { only.Add(int.Parse(s, CultureInfo.InvariantCulture)); } break;
        case "--out": outDir = args[++i]; break;
        case "--wait-quiet": waitQuiet = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--scale-sizes": scaleSizes = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).Order()]; break;
        default: Console.Error.WriteLine($"harness: unknown argument {args[i]}"); return 2;
    }
}
var config = scaleSizes is null ? Config.For(mode) : Config.For(mode) with { ScaleSizes = scaleSizes };
var bench = FindBenchDirectory();
outDir ??= Path.Combine(bench, "results");
Directory.CreateDirectory(outDir);
var started = DateTimeOffset.UtcNow;
var logs = Path.Combine(outDir, "logs", $"{mode}-{started:yyyyMMdd-HHmmss}");
var quietSeconds = waitQuiet ?? (mode == "full" ? 180 : 0);
var run = new Runner(config, bench, logs, quiet: quietSeconds > 0);
var clock = Stopwatch.StartNew();
Console.WriteLine($"harness: {mode} run; logs in {logs}");
Console.WriteLine($"harness: {config.Describe()}");

var scenarios = new (int Number, string Name, Func<Task> Run)[]
{
    (1, "memory per idle window", run.MemoryAsync),
    (2, "broadcast, targeted, latency, round trip (scenarios 2-5)", run.MessagingAsync),
    (6, "server-signal jobs through Redis vs Hangfire", run.JobsAsync),
    (7, "two nodes over Redis vs one in memory", run.TwoNodesAsync),
    (8, "scale curve: cost per delivery from the smallest to the largest number of windows", run.ScaleAsync),
    (9, "round trip on Redis: two nodes and a worker vs SignalR's Redis backplane", run.RedisRoundTripAsync),
    (10, "Redis Cluster: two nodes on a 3-shard cluster vs two on one Redis vs one in memory; jobs/s on the cluster", run.RedisClusterAsync),
};
var selected = new SortedSet<string>(StringComparer.Ordinal);
foreach (var (number, name, body) in scenarios)
{
    if (only.Count > 0 && !only.Contains(number) && !(number == 2 && only.Overlaps([2, 3, 4, 5])))
    {
        continue;
    }
    selected.UnionWith(number == 2 ? ["2", "3", "4", "5"] : [number.ToString(CultureInfo.InvariantCulture)]);
    if (quietSeconds > 0)
    {
        // Other processes on these 2 cores skew every number: wait (a while) for them to finish.
        var share = await MachineLoad.WaitQuietAsync(0.15, TimeSpan.FromSeconds(quietSeconds));
        if (share > 0.15)
        {
            run.Results.Notes.Add($"scenario {number} started while other processes used {share:P0} of the machine");
        }
    }
    Console.WriteLine($"harness: [{clock.Elapsed:mm\\:ss}] scenario {number}: {name}");
    try
    {
        await body();
    }
    catch (Exception e)
    {
        run.Results.Failures[$"scenario {number}"] = e.Message;
        Console.Error.WriteLine($"harness: scenario {number} failed: {e}");
    }
}

var machine = Machine.Describe();
var commit = Environment.GetEnvironmentVariable("BENCH_COMMIT") ?? "unknown";
var md = Report.Markdown(run.Results, config, Runner.Views, Runner.Targets, machine + $" Commit {commit}.", started, clock.Elapsed);
var json = new JsonObject
{
    ["mode"] = mode,
    ["started"] = started.ToString("O", CultureInfo.InvariantCulture),
    ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
    ["machine"] = machine,
    ["commit"] = Environment.GetEnvironmentVariable("BENCH_COMMIT") ?? "unknown",
    ["config"] = JsonSerializer.SerializeToNode(config),
    ["ran"] = new JsonArray([.. run.Results.Ran.Order(StringComparer.Ordinal).Select(s => (JsonNode?)s)]),
    ["failures"] = JsonSerializer.SerializeToNode(run.Results.Failures),
    ["notes"] = JsonSerializer.SerializeToNode(run.Results.Notes),
    ["results"] = run.Results.ToJson(),
};
var jsonPath = Path.Combine(outDir, $"{mode}-{started:yyyyMMdd-HHmmss}.json");
await File.WriteAllTextAsync(jsonPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
// latest.md is the published full table (docs/benchmarks.md); quick and smoke runs write their own file.
var mdPath = Path.Combine(outDir, mode switch { "full" => "latest.md", _ => mode + ".md" });
await File.WriteAllTextAsync(mdPath, md);
Console.WriteLine();
Console.WriteLine(md);
Console.WriteLine($"harness: wrote {jsonPath} and {mdPath} in {clock.Elapsed:mm\\:ss}");
// One line for test.sh: scenarios (1-10) that ran, and those selected that could not.
var ran = selected.Count(run.Results.Ran.Contains);
var failed = selected.Count - ran;
Console.WriteLine($"bench: {ran} passed, {failed} failed");
return failed == 0 && ran > 0 ? 0 : 1;

static string FindBenchDirectory()
{
    var dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "run.sh")))
    {
        dir = Path.GetDirectoryName(dir.TrimEnd('/'));
    }
    return dir ?? throw new InvalidOperationException("cannot find bench/ (run.sh) above " + AppContext.BaseDirectory);
}

static class Machine
{
    public static string Describe()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return string.Create(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} cores ({cpu}), {long.Parse(memKb, CultureInfo.InvariantCulture) / 1024 / 1024.0:0.0} GiB, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.");
    }
}
