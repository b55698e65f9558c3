using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.Bench.Harness;

/// <summary>The soak's verdict and its Markdown: memory growth after warm-up per process, errors, lost jobs, the per-minute table.</summary>
public sealed record SoakReport(string Markdown, bool Passed)
{
    /// <summary>Largest growth of RSS or managed heap from the end of warm-up to the end of the run that passes.</summary>
    public const double MaxGrowthPct = 5;

    public static SoakReport Build(SoakOptions options, DateTimeOffset started, IReadOnlyList<SoakSample> samples, IReadOnlyList<string> errors,
        int errorCount, JsonObject handled, long jobsEnqueued, long calls, long broadcasts, long churned)
    {
        // Rounded first (and -0 made 0) so a growth of -0.01 % reads "+0.0", not "-+0.0".
        static string F(double v, string format = "0.0") => (Math.Round(v, 1) + 0.0).ToString(format, CultureInfo.InvariantCulture);
        var md = new StringBuilder();
        var first = samples[0];
        var warm = samples.FirstOrDefault(s => s.Minute >= options.WarmUpMinutes - 0.01) ?? samples[^1];
        var last = samples[^1];
        var missing = (long)handled["missing"]!;
        var duplicates = (long)handled["duplicates"]!;
        var logErrors = samples.Sum(s => s.LogErrors);
        var logWarnings = samples.Sum(s => s.LogWarnings);
        md.AppendLine(CultureInfo.InvariantCulture, $"# Soak run of {started:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(options.Describe() + ".");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Memory is compared from minute {F(warm.Minute)} (end of warm-up) to minute {F(last.Minute)}; RSS and managed heap are read after a full GC.");
        md.AppendLine();
        md.AppendLine("| Process | RSS at start → warm-up → end (MiB) | RSS growth after warm-up | Heap at warm-up → end (MiB) | Heap growth | Open files start → end | Threads start → end |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var flat = true;
        foreach (var name in last.Processes.Keys)
        {
            var (s0, w, e) = (first.Processes[name], warm.Processes[name], last.Processes[name]);
            var rssGrowth = (e.RssMiB - w.RssMiB) / w.RssMiB * 100;
            var heapGrowth = (e.HeapMiB - w.HeapMiB) / w.HeapMiB * 100;
            flat &= rssGrowth <= MaxGrowthPct && heapGrowth <= MaxGrowthPct;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {F(s0.RssMiB)} → {F(w.RssMiB)} → {F(e.RssMiB)} | {F(rssGrowth, "+0.0;-0.0")} % | {F(w.HeapMiB)} → {F(e.HeapMiB)} | {F(heapGrowth, "+0.0;-0.0")} % | {s0.OpenFiles} → {e.OpenFiles} | {s0.Threads} → {e.Threads} |");
        }
        md.AppendLine(CultureInfo.InvariantCulture, $"| redis-server (used_memory) | {F(first.RedisMiB)} → {F(warm.RedisMiB)} → {F(last.RedisMiB)} | {F((last.RedisMiB - warm.RedisMiB) / warm.RedisMiB * 100, "+0.0;-0.0")} % | | | | |");
        md.AppendLine();
        md.AppendLine("Besides the live heap, at warm-up → end: memory the GC keeps committed (MiB) and methods the JIT has compiled (tiered");
        md.AppendLine("compilation recompiles hot methods for a long while after start).");
        md.AppendLine();
        md.AppendLine("| Process | GC committed (MiB) | JIT-compiled methods |");
        md.AppendLine("|---|---:|---:|");
        foreach (var name in last.Processes.Keys)
        {
            var (w, e) = (warm.Processes[name], last.Processes[name]);
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {F(w.CommittedMiB)} → {F(e.CommittedMiB)} | {w.JittedMethods:N0} → {e.JittedMethods:N0} |");
        }
        md.AppendLine();
        var passed = flat && errorCount == 0 && logErrors == 0 && missing == 0;
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Work done: {churned:N0} windows aborted and reopened, {calls:N0} browser calls answered by the worker, {broadcasts:N0} broadcasts to every window, "
            + $"{jobsEnqueued:N0} server jobs enqueued ({handled["distinct"]} ran, {missing} never ran, {duplicates} ran twice).");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Errors seen by the driver: {errorCount}; lines logged by the servers at error level: {logErrors}, at warning level: {logWarnings}. "
            + $"Verdict: **{(passed ? "passed" : "failed")}** (memory growth ≤ {MaxGrowthPct} % after warm-up for every process, no error, no lost job).");
        md.AppendLine();
        md.AppendLine("| Minute | Windows | RSS a / b / worker (MiB) | Heap a / b / worker (MiB) | Open files a / b / worker | Threads a / b / worker | Redis (MiB) | Queued | Delayed | Dead | Errors | Logged warn / error |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in samples)
        {
            var p = s.Processes.Values.ToArray();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {F(s.Minute)} | {s.OpenWindows} | {string.Join(" / ", p.Select(x => F(x.RssMiB)))} | {string.Join(" / ", p.Select(x => F(x.HeapMiB)))} | "
                + $"{string.Join(" / ", p.Select(x => x.OpenFiles))} | {string.Join(" / ", p.Select(x => x.Threads))} | {F(s.RedisMiB)} | {s.QueueDepth} | {s.Delayed} | {s.DeadLetters} | {s.Errors} | {s.LogWarnings} / {s.LogErrors} |");
        }
        if (errors.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Errors (first 20):");
            md.AppendLine();
            foreach (var e in errors.Take(20))
            {
                md.AppendLine("- " + e);
            }
        }
        return new SoakReport(md.ToString(), passed);
    }
}
