using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Switchboard.Internal.Connections;

namespace Switchboard.FunctionalTests;

/// <summary>
/// <c>MapHealthChecks</c> over <c>AddHealthChecks().AddSwitchboard()</c> on a real Kestrel node: HTTP 200 for Healthy and
/// Degraded, 503 for Unhealthy; windows near <c>MaxWindows</c> make it Degraded and closing them Healthy again.
/// </summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task WindowsAtTheCapacityThresholdDegradeTheNodeUntilOneCloses()
    {
        await using var host = await StartAsync(s => (s.MaxWindows, s.HealthChecks.WindowCapacityThreshold) = (4, 0.5));
        await using var browser = new TestBrowser();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var first = await browser.OpenWindowAsync(host);

        var one = await GetAsync(http);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (one.Code, Status(one.Report, SwitchboardHealthChecks.Windows)));
        Assert.Equal("1 of at most 4 windows.", (string?)one.Report[SwitchboardHealthChecks.Windows]!["description"]);

        var second = await browser.OpenWindowAsync(host);
        var two = await GetAsync(http);
        Assert.Equal((HttpStatusCode.OK, "Degraded"), (two.Code, (string?)two.Report["status"]));
        Assert.Equal("Degraded", Status(two.Report, SwitchboardHealthChecks.Windows));
        Assert.Equal(2, (int?)two.Report[SwitchboardHealthChecks.Windows]!["windows"]);
        await first.PingAsync();

        await second.DisposeAsync();
        var handler = host.Services.GetRequiredService<WindowConnectionHandler>();
        using var timeout = new CancellationTokenSource(TestTimeouts.Frame);
        while (handler.Sockets > 1)
        {
            Assert.False(timeout.IsCancellationRequested, $"The node still holds {handler.Sockets} sockets.");
            await Task.Yield();
        }
        var back = await GetAsync(http);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (back.Code, (string?)back.Report["status"]));
    }

    [Fact]
    public async Task WorkersThatStoppedMakeTheEndpointAnswer503()
    {
        // The process serves the queues it lists; once its workers stop, the load balancer sees 503.
        await using var host = await StartAsync(s => s.Workers.Queues = ["default"]);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var serving = await GetAsync(http);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (serving.Code, Status(serving.Report, SwitchboardHealthChecks.Workers)));

        await host.Services.GetRequiredService<Switchboard.Internal.Workers.WorkerHost>().StopAsync(default);
        var stopped = await GetAsync(http);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped.Code);
        Assert.Equal("Unhealthy", Status(stopped.Report, SwitchboardHealthChecks.Workers));
        Assert.Equal("No running worker for queue(s) default, switchboard.deliveries.", (string?)stopped.Report[SwitchboardHealthChecks.Workers]!["description"]);
    }

    private static Task<SwitchboardHost> StartAsync(Action<SwitchboardOptions> options) =>
        SwitchboardHost.StartAsync(o =>
        {
            o.Switchboard = options;
            o.Services = services => services.AddHealthChecks().AddSwitchboard();
            o.Endpoints = app => app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteAsync });
        });

    private static string? Status(JsonNode report, string name) => (string?)report[name]?["status"];

    private static async Task<(HttpStatusCode Code, JsonNode Report)> GetAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative)).WaitAsync(TestTimeouts.Frame);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>The report as {"status", name: {"status", "description", data...}} (the demo uses a library writer instead).</summary>
    private static Task WriteAsync(HttpContext http, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        var json = new JsonObject { ["status"] = report.Status.ToString() };
        foreach (var (name, entry) in report.Entries)
        {
            var node = new JsonObject { ["status"] = entry.Status.ToString(), ["description"] = entry.Description };
            foreach (var (key, value) in entry.Data)
            {
                node[key] = JsonSerializer.SerializeToNode(value);
            }
            json[name] = node;
        }
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(json.ToJsonString());
    }
}
