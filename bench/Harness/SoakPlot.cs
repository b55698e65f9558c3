using System.Globalization;
using System.Text;

namespace Switchboard.Bench.Harness;

/// <summary>An SVG line chart of the soak: RSS and managed heap of each process and Redis memory, per minute.</summary>
public static class SoakPlot
{
    private const int Width = 720, Height = 360, Left = 56, Right = 170, Top = 24, Bottom = 40;
    private static readonly string[] Colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

    public static string Svg(IReadOnlyList<SoakSample> samples)
    {
        var series = new List<(string Name, double[] Values, bool Dashed)>();
        foreach (var name in samples[^1].Processes.Keys)
        {
            series.Add(($"{name} RSS", [.. samples.Select(s => s.Processes.TryGetValue(name, out var p) ? p.RssMiB : double.NaN)], false));
            series.Add(($"{name} heap", [.. samples.Select(s => s.Processes.TryGetValue(name, out var p) ? p.HeapMiB : double.NaN)], true));
        }
        series.Add(("redis used_memory", [.. samples.Select(s => s.RedisMiB)], false));
        var maxX = Math.Max(1, samples[^1].Minute);
        var maxY = Math.Max(1, series.SelectMany(s => s.Values).Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max() * 1.1);
        double X(double minute) => Left + minute / maxX * (Width - Left - Right);
        double Y(double mib) => Top + (1 - mib / maxY) * (Height - Top - Bottom);
        static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"14\">Soak: memory per process (MiB, after a full GC) over minutes</text>");
        for (var i = 0; i <= 4; i++)
        {
            var v = maxY * i / 4;
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{N(Y(v))}\" y2=\"{N(Y(v))}\" stroke=\"#ddd\"/><text x=\"4\" y=\"{N(Y(v) + 4)}\">{N(v)}</text>");
            var m = maxX * i / 4;
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{N(X(m) - 8)}\" y=\"{Height - Bottom + 16}\">{N(m)}</text>");
        }
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{(Width - Right) / 2}\" y=\"{Height - 6}\">minutes</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var (name, values, dashed) = series[i];
            var colour = Colours[i / 2 % Colours.Length];
            var points = string.Join(' ', samples.Select((s, k) => (s, v: values[k])).Where(p => !double.IsNaN(p.v)).Select(p => $"{N(X(p.s.Minute))},{N(Y(p.v))}"));
            svg.AppendLine(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"{(dashed ? " stroke-dasharray=\"4 3\"" : "")} points=\"{points}\"/>");
            var ly = Top + 14 * i;
            svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right + 8}\" x2=\"{Width - Right + 28}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"1.5\"{(dashed ? " stroke-dasharray=\"4 3\"" : "")}/><text x=\"{Width - Right + 32}\" y=\"{ly + 4}\">{name}</text>");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
