using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;

namespace Switchboard.Demo;

/// <summary>
/// An OpenTelemetry exporter writing each span as one <c>span: {json}</c> line on standard output (name, kind, ids,
/// status, attributes): what <c>--Demo:PrintSpans=true</c> turns on, so a test can read the spans of a process it runs.
/// </summary>
internal sealed class DemoSpanPrinter : BaseExporter<Activity>
{
    private static readonly Lock Gate = new();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            var line = "span: " + JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["source"] = activity.Source.Name,
                ["name"] = activity.DisplayName,
                ["kind"] = activity.Kind.ToString(),
                ["traceId"] = activity.TraceId.ToHexString(),
                ["spanId"] = activity.SpanId.ToHexString(),
                ["parentSpanId"] = activity.ParentSpanId.ToHexString(),
                ["status"] = activity.Status.ToString(),
                ["tags"] = activity.TagObjects.ToDictionary(t => t.Key, t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture)),
            });
            lock (Gate)
            {
                Console.Out.WriteLine(line);
                Console.Out.Flush();
            }
        }
        return ExportResult.Success;
    }
}
