using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Switchboard.Demo;

/// <summary>
/// OpenTelemetry for every role of the demo (docs/operations.md): <c>--Switchboard:Otlp=http://host:4318</c> exports the
/// <c>Switchboard</c> traces and metrics (and ASP.NET Core's request spans) over OTLP/HTTP; without it, the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and the other <c>OTEL_*</c> variables) configure the exporter. <c>--Demo:PrintSpans=true</c>
/// writes each finished span as a <c>span: {json}</c> line on standard output (the multi-process trace test reads them).
/// Nothing of this is in the library, which only uses System.Diagnostics.
/// </summary>
internal static class DemoTelemetry
{
    public static IServiceCollection AddDemoTelemetry(this IServiceCollection services, IConfiguration configuration, string role)
    {
        var otlp = configuration["Switchboard:Otlp"];
        var standard = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var print = configuration.GetValue("Demo:PrintSpans", false);
        var export = !string.IsNullOrWhiteSpace(otlp) || standard;
        if (!export && !print)
        {
            return services;
        }
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "switchboard-demo-" + role));
        otel.WithTracing(tracing =>
        {
            // ASP.NET Core's own source: a page or API request is the root of the trace its Switchboard calls continue.
            tracing.AddSource("Switchboard", "Microsoft.AspNetCore");
            if (export)
            {
                tracing.AddOtlpExporter(o => Endpoint(o, otlp, "v1/traces"));
            }
            if (print)
            {
                tracing.AddProcessor(new SimpleActivityExportProcessor(new DemoSpanPrinter()));
            }
        });
        if (export)
        {
            otel.WithMetrics(metrics => metrics.AddMeter("Switchboard").AddOtlpExporter(o => Endpoint(o, otlp, "v1/metrics")));
        }
        return services;
    }

    /// <summary>
    /// <c>Switchboard:Otlp</c> is the collector's base address (OTLP/HTTP, port 4318): the exporter wants each signal's
    /// full path when the endpoint is set in code. Unset: the exporter reads the <c>OTEL_EXPORTER_OTLP_*</c> variables.
    /// </summary>
    private static void Endpoint(OtlpExporterOptions options, string? otlp, string path)
    {
        if (string.IsNullOrWhiteSpace(otlp))
        {
            return;
        }
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri(new Uri(otlp.TrimEnd('/') + "/"), path);
    }
}
