using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Switchboard.Bench.Harness;

/// <summary>
/// bench/soak.sh: Switchboard on Redis for an hour — two web nodes and a worker process, a few thousand windows with
/// reconnect churn, browser calls through the worker, server jobs (some delayed) and broadcasts at a moderate rate —
/// sampling every minute each process's RSS and managed heap (after a full GC), file handles, threads, Redis memory,
/// queue depths and errors. Not in CI. Writes soak-TIME.md and soak-TIME.svg.
/// </summary>
public sealed class Soak(SoakOptions options, string bench, string outDir)
{
    private readonly string _logs = Path.Combine(outDir, "logs", $"soak-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
    private readonly List<SoakSample> _samples = [];
    private readonly List<string> _errors = [];
    private long _jobsEnqueued;
    private long _broadcastsChecked;
    private long _callsMade;
    private long _churned;
    private int _errorCount;

    private string Dll(string project) => Path.Combine(bench, project, "bin", "Release", "net10.0", project + ".dll");

    public async Task<int> RunAsync()
    {
        var started = DateTimeOffset.UtcNow;
        await using var redis = await RedisProcess.StartAsync();
        // Keys of closed windows (topic list, WINDOW topic history) live for these after their window left; the
        // defaults (10 h) would make Redis memory grow for 10 h of churn before it levels, these for 10 minutes.
        string[] args = [$"--Switchboard:Redis={redis.Endpoint}", $"--Switchboard:TopicsTimeToLive={options.KeyTimeToLive:c}",
            $"--Switchboard:History:IdleTimeToLive={options.KeyTimeToLive:c}", "--Bench:TrackWindows=false"];
        // The first node writes the Data Protection key ring to Redis; the others read it.
        await using var a = await Server.StartAsync("soak-node-a", Dll("Switchboard.Bench.Server"), args, _logs);
        await a.GetJsonAsync("/bench/stats");
        await using var b = await Server.StartAsync("soak-node-b", Dll("Switchboard.Bench.Server"), args, _logs);
        await using var worker = await Server.StartAsync("soak-worker", Dll("Switchboard.Bench.Server"),
            [.. args, "--Switchboard:Workers:Queues:0=default", "--Switchboard:Workers:Queues:1=bench"], _logs);
        await using var loadgen = LoadGen.Start(Dll("LoadGen"), _logs, "soak-loadgen");
        Server[] nodes = [a, b];
        var urls = new JsonArray([.. nodes.Select(n => (JsonNode?)n.Url)]);
        var connect = await loadgen.SendAsync(new JsonObject
        {
            ["cmd"] = "connect", ["kind"] = "switchboard", ["urls"] = urls.DeepClone(), ["n"] = options.Windows, ["concurrency"] = 32, ["sources"] = 4,
        }, TimeSpan.FromMinutes(10));
        Console.WriteLine($"soak: {connect["open"]} windows open on two nodes; running {options.Minutes} min (logs in {_logs})");
        Server[] processes = [a, b, worker];
        var logCursor = new Dictionary<string, long>();
        var clock = Stopwatch.StartNew();
        var nextSample = TimeSpan.Zero;
        var cycle = 0;
        while (clock.Elapsed < TimeSpan.FromMinutes(options.Minutes))
        {
            if (clock.Elapsed >= nextSample)
            {
                await SampleAsync(clock.Elapsed, processes, loadgen, redis, logCursor);
                nextSample += TimeSpan.FromMinutes(1);
            }
            var cycleStart = clock.Elapsed;
            if (clock.Elapsed < TimeSpan.FromMinutes(options.WarmUpMinutes))
            {
                await WarmProbeAsync(processes);
            }
            await CycleAsync(cycle++, nodes, loadgen, urls);
            var rest = options.Cycle - (clock.Elapsed - cycleStart);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
        }
        // The last sample as every other one: after a cycle's rest (the other samples are taken at the start of a cycle,
        // after the previous one's pause; taken right after the last cycle, it caught the worker mid-burst: +6 MiB of
        // RSS in the 09:11 run), and before the check below, which makes the worker list every job id it ran.
        await Task.Delay(options.Cycle);
        await SampleAsync(clock.Elapsed, processes, loadgen, redis, logCursor);
        // Every job enqueued must have run exactly once by now (the delayed ones are due 2 s after their cycle).
        var handled = await WaitForJobsAsync(worker);
        var report = SoakReport.Build(options, started, _samples, _errors, _errorCount, handled, _jobsEnqueued, _callsMade, _broadcastsChecked, _churned);
        var stem = Path.Combine(outDir, $"soak-{started:yyyyMMdd-HHmmss}");
        await File.WriteAllTextAsync(stem + ".md", report.Markdown);
        await File.WriteAllTextAsync(stem + ".svg", SoakPlot.Svg(_samples));
        Console.WriteLine(report.Markdown);
        Console.WriteLine($"soak: wrote {stem}.md and {stem}.svg");
        await loadgen.SendAsync(new JsonObject { ["cmd"] = "close" });
        return report.Passed ? 0 : 1;
    }

    /// <summary>One cycle: churn, a broadcast every window must receive, browser calls through the worker, server jobs.</summary>
    private async Task CycleAsync(int cycle, Server[] nodes, LoadGen loadgen, JsonArray urls)
    {
        try
        {
            var churn = await loadgen.SendAsync(new JsonObject
            {
                ["cmd"] = "churn", ["n"] = options.ChurnPerCycle, ["kind"] = "switchboard", ["urls"] = urls.DeepClone(), ["concurrency"] = 16, ["sources"] = 4,
            });
            _churned += (int)churn["closed"]!;
            if ((int)churn["failed"]! > 0)
            {
                Error($"churn: {churn["failed"]} windows could not reopen: {churn["errors"]?.ToJsonString()}");
            }
            var open = (int)churn["open"]!;
            var run = await loadgen.SendAsync(new JsonObject
            {
                ["cmd"] = "run", ["trigger"] = nodes[cycle % 2].Url + $"/bench/broadcast?count={options.BroadcastsPerCycle}&size=100",
                ["expected"] = (long)options.BroadcastsPerCycle * open, ["timeoutMs"] = 30_000,
            });
            _broadcastsChecked += options.BroadcastsPerCycle;
            if (!(bool)run["complete"]!)
            {
                Error($"broadcast: {run["delivered"]} of {run["expected"]} deliveries within 30 s");
            }
            var calls = await loadgen.SendAsync(new JsonObject
            {
                ["cmd"] = "roundtrip", ["windows"] = options.CallingWindows, ["calls"] = options.CallsPerWindow, ["timeoutMs"] = 30_000,
            });
            _callsMade += (long)(double)calls["calls"]!;
            if ((int)calls["failed"]! > 0)
            {
                Error($"calls: {calls["failed"]} windows had a call fail or time out");
            }
            var from = _jobsEnqueued;
            await nodes[(cycle + 1) % 2].GetJsonAsync(
                $"/bench/soak/enqueue?from={from}&count={options.JobsPerCycle}&delayed={options.DelayedPerCycle}");
            _jobsEnqueued += options.JobsPerCycle;
            var status = await loadgen.SendAsync(new JsonObject { ["cmd"] = "status" });
            if (status["lost"] is JsonObject { Count: > 0 } lost)
            {
                Error($"windows closed by the server: {lost.ToJsonString()}");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException or System.Text.Json.JsonException)
        {
            Error($"cycle {cycle}: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Calls every process's HTTP probe once per cycle during warm-up. The worker serves no HTTP but the minute's sample,
    /// so tiered compilation recompiled that path (Kestrel, routing, JSON) at its 30th call — minute 30 of the 09:11 run,
    /// the worker's RSS stepping by ~8 MiB with its JIT-compiled methods 8,940 → 9,975: the measurement's own code.
    /// <c>/bench/stats</c> runs the same path without collecting: the 11:10 run warmed with <c>/bench/gc</c>, whose full
    /// compacting collections every 5 s held the web nodes' committed memory at half its usual size until warm-up ended,
    /// so their RSS "grew" 16–19 % after it, back to the level of every other run.
    /// </summary>
    private static async Task WarmProbeAsync(Server[] processes)
    {
        foreach (var p in processes)
        {
            await p.GetJsonAsync("/bench/stats");
        }
    }

    private async Task SampleAsync(TimeSpan at, Server[] processes, LoadGen loadgen, RedisProcess redis, Dictionary<string, long> logCursor)
    {
        var sample = new SoakSample { Minute = at.TotalMinutes, Errors = _errorCount };
        foreach (var p in processes)
        {
            var gc = await p.GetJsonAsync("/bench/gc");
            sample.Processes[p.Name] = new SoakProcessSample(
                (double)gc["rssBytes"]! / 1048576, (double)gc["heapBytes"]! / 1048576, ProcStats.OpenFiles(p.Pid), ProcStats.Threads(p.Pid),
                (double)gc["committedBytes"]! / 1048576, (long)gc["jittedMethods"]!);
            var (warnings, errors) = CountLogProblems(Path.Combine(_logs, p.Name + ".log"), logCursor);
            sample.LogWarnings += warnings;
            sample.LogErrors += errors;
        }
        sample.RedisMiB = await redis.UsedMemoryAsync() / 1048576.0;
        foreach (var queue in new[] { "default", "bench" })
        {
            sample.QueueDepth += await redis.CountAsync("XLEN", "switchboard:{q:" + queue + "}");
            sample.Delayed += await redis.CountAsync("ZCARD", "switchboard:{q:" + queue + "}:delayed");
            sample.DeadLetters += await redis.CountAsync("XLEN", "switchboard:{q:" + queue + "}:dead");
        }
        sample.OpenWindows = (int)(await loadgen.SendAsync(new JsonObject { ["cmd"] = "status" }))["open"]!;
        _samples.Add(sample);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {at:hh\\:mm\\:ss} windows {sample.OpenWindows}, RSS {string.Join(" / ", sample.Processes.Values.Select(v => v.RssMiB.ToString("0", CultureInfo.InvariantCulture)))} MiB, "
            + $"redis {sample.RedisMiB:0.0} MiB, queues {sample.QueueDepth} (+{sample.Delayed} delayed, {sample.DeadLetters} dead), errors {sample.Errors}, logged warnings {sample.LogWarnings} errors {sample.LogErrors}"));
    }

    /// <summary>Warnings and errors the process logged since the last sample (console formatter: "warn:", "fail:", "crit:").</summary>
    private static (int Warnings, int Errors) CountLogProblems(string path, Dictionary<string, long> cursor)
    {
        if (!File.Exists(path))
        {
            return (0, 0);
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = cursor.GetValueOrDefault(path);
        using var reader = new StreamReader(stream);
        int warnings = 0, errors = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("warn:", StringComparison.Ordinal))
            {
                warnings++;
            }
            else if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                errors++;
            }
        }
        cursor[path] = stream.Position;
        return (warnings, errors);
    }

    private async Task<JsonObject> WaitForJobsAsync(Server worker)
    {
        var deadline = Stopwatch.StartNew();
        JsonObject handled;
        do
        {
            handled = await worker.GetJsonAsync("/bench/soak/handled");
            if ((long)handled["distinct"]! >= _jobsEnqueued)
            {
                break;
            }
            await Task.Delay(500);
        }
        while (deadline.Elapsed < TimeSpan.FromSeconds(60));
        return await worker.GetJsonAsync($"/bench/soak/handled?expected={_jobsEnqueued}");
    }

    private void Error(string message)
    {
        Console.WriteLine("soak: error: " + message);
        _errorCount++;
        if (_errors.Count < 1000)
        {
            _errors.Add($"{DateTime.UtcNow:HH:mm:ss} {message}");
        }
    }
}
