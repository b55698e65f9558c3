using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.Bench.Harness;

/// <summary>Every sample of a run: scenario → system → metric → values (one per repetition).</summary>
public sealed class Results
{
    public SortedDictionary<string, Dictionary<string, Dictionary<string, List<double>>>> Samples { get; } = new(StringComparer.Ordinal);

    public List<string> Notes { get; } = [];

    public Dictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Ran { get; } = new(StringComparer.Ordinal);

    public void Add(string scenario, string system, string metric, double value)
    {
        if (!Samples.TryGetValue(scenario, out var systems))
        {
            Samples[scenario] = systems = new(StringComparer.Ordinal);
        }
        if (!systems.TryGetValue(system, out var metrics))
        {
            systems[system] = metrics = new(StringComparer.Ordinal);
        }
        if (!metrics.TryGetValue(metric, out var values))
        {
            metrics[metric] = values = [];
        }
        values.Add(value);
    }

    public double Median(string scenario, string system, string metric) =>
        Samples.TryGetValue(scenario, out var s) && s.TryGetValue(system, out var m) && m.TryGetValue(metric, out var v) && v.Count > 0
            ? Stats.Median(v)
            : double.NaN;

    public JsonObject ToJson()
    {
        var samples = new JsonObject();
        foreach (var (scenario, systems) in Samples)
        {
            var s = new JsonObject();
            foreach (var (system, metrics) in systems)
            {
                var m = new JsonObject();
                foreach (var (metric, values) in metrics)
                {
                    m[metric] = new JsonObject
                    {
                        ["min"] = Stats.Json(values.Min()),
                        ["median"] = Stats.Json(Stats.Median(values)),
                        ["max"] = Stats.Json(values.Max()),
                        ["samples"] = new JsonArray([.. values.Select(v => (JsonNode?)Stats.Json(v))]),
                    };
                }
                s[system] = m;
            }
            samples[scenario] = s;
        }
        return samples;
    }
}

public static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static JsonNode? Json(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 4)) : null;

    public static string Format(double v)
    {
        if (!double.IsFinite(v))
        {
            return "–";
        }
        var a = Math.Abs(v);
        return a >= 100_000 ? v.ToString("#,0", CultureInfo.InvariantCulture)
            : a >= 100 ? v.ToString("0", CultureInfo.InvariantCulture)
            : a >= 10 ? v.ToString("0.0", CultureInfo.InvariantCulture)
            : a >= 1 ? v.ToString("0.00", CultureInfo.InvariantCulture)
            : v.ToString("0.000", CultureInfo.InvariantCulture);
    }
}

/// <summary>How a scenario is shown: its systems (columns) and the ratios worth reading.</summary>
public sealed record ScenarioView(string Key, string Title, string[] Systems, (string Of, string To)[] Ratios, (string Metric, string Label)[] Metrics);

/// <summary>A goal of the issue, checked on medians of the same run.</summary>
public sealed record Target(string Label, string Scenario, string Metric, string System, string Baseline, double Goal, bool AtMost, string? AbsoluteUnit = null);

public static class Report
{
    public static string Markdown(Results results, Config config, IReadOnlyList<ScenarioView> views, IReadOnlyList<Target> targets, string machine, DateTimeOffset started, TimeSpan elapsed)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Switchboard benchmarks: {config.Mode} run");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{started:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalMinutes:0.0} min. {machine}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Settings: {config.Describe()}.");
        md.AppendLine("Cells are min / **median** / max over the repetitions; ratios compare medians. Server CPU is user+system time of the");
        md.AppendLine("server process(es) (getrusage inside the server, µs resolution; redis-server's from /proc/PID/stat) over the phase,");
        md.AppendLine("divided by the messages delivered. Allocation is GC.GetTotalAllocatedBytes of the server(s) over the phase.");
        md.AppendLine();
        if (targets.Count > 0)
        {
            md.AppendLine("## Targets");
            md.AppendLine();
            md.AppendLine("| Target | Switchboard | Baseline | Ratio | Goal | Met |");
            md.AppendLine("|---|---:|---:|---:|---:|:---:|");
            foreach (var t in targets)
            {
                var value = results.Median(t.Scenario, t.System, t.Metric);
                if (t.AbsoluteUnit is not null)
                {
                    var metAbs = t.AtMost ? value <= t.Goal : value >= t.Goal;
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {t.Label} | {Stats.Format(value)} {t.AbsoluteUnit} | – | – | {(t.AtMost ? "<" : "≥")} {Stats.Format(t.Goal)} {t.AbsoluteUnit} | {(double.IsNaN(value) ? "n/a" : metAbs ? "yes" : "**no**")} |");
                    continue;
                }
                var baseline = results.Median(t.Scenario, t.Baseline, t.Metric);
                var ratio = value / baseline;
                var met = t.AtMost ? ratio <= t.Goal : ratio >= t.Goal;
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {t.Label} | {Stats.Format(value)} | {Stats.Format(baseline)} ({t.Baseline}) | {Stats.Format(ratio)}× | {(t.AtMost ? "≤" : "≥")} {Stats.Format(t.Goal)}× | {(double.IsNaN(ratio) ? "n/a" : met ? "yes" : "**no**")} |");
            }
            md.AppendLine();
        }
        md.AppendLine("## Results");
        foreach (var view in views)
        {
            if (!results.Samples.TryGetValue(view.Key, out var systems))
            {
                continue;
            }
            md.AppendLine();
            md.AppendLine("### " + view.Title);
            md.AppendLine();
            var present = view.Systems.Where(systems.ContainsKey).ToArray();
            var ratios = view.Ratios.Where(r => systems.ContainsKey(r.Of) && systems.ContainsKey(r.To)).ToArray();
            md.Append("| Metric |");
            foreach (var s in present)
            {
                md.Append(CultureInfo.InvariantCulture, $" {s} |");
            }
            foreach (var (of, to) in ratios)
            {
                md.Append(CultureInfo.InvariantCulture, $" {of} / {to} |");
            }
            md.AppendLine();
            md.Append("|---|");
            md.Append(string.Concat(Enumerable.Repeat("---:|", present.Length + ratios.Length)));
            md.AppendLine();
            foreach (var (metric, label) in view.Metrics)
            {
                if (!present.Any(s => systems[s].ContainsKey(metric)))
                {
                    continue;
                }
                md.Append(CultureInfo.InvariantCulture, $"| {label} |");
                foreach (var s in present)
                {
                    md.Append(systems[s].TryGetValue(metric, out var v) && v.Count > 0
                        ? $" {Stats.Format(v.Min())} / **{Stats.Format(Stats.Median(v))}** / {Stats.Format(v.Max())} |"
                        : " – |");
                }
                foreach (var (of, to) in ratios)
                {
                    var r = results.Median(view.Key, of, metric) / results.Median(view.Key, to, metric);
                    md.Append(CultureInfo.InvariantCulture, $" {Stats.Format(r)}× |");
                }
                md.AppendLine();
            }
        }
        if (results.Notes.Count > 0 || results.Failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (var (scenario, failure) in results.Failures)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- **{scenario} could not run**: {failure}");
            }
            foreach (var note in results.Notes)
            {
                md.AppendLine("- " + note);
            }
        }
        return md.ToString();
    }
}
