using System.Net;
using System.Text.Json.Nodes;

namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// The demo's <c>/healthz</c> (real Kestrel, another process) while its Redis is killed and started again: Healthy,
/// then Unhealthy with HTTP 503 naming the Redis check, then Healthy again once the node reconnected by itself. The
/// Redis has a password, which the response never shows. The test has a redis-server of its own.
/// </summary>
public sealed class HealthzRedisRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [RedisFact(NeedsServer = true)]
    public async Task HealthzIsUnhealthyWhileRedisIsDownAndHealthyAfterItsRestart()
    {
        const string password = "health-Secret-4242";
        await using var server = await RedisServer.StartAsync(password);
        await using var cluster = new DemoCluster(server.Configuration, "healthz:", output);
        var (web, address) = await cluster.StartWebNodeAsync("web", "--Switchboard:HealthChecks:Timeout=00:00:02");
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };

        var healthy = await WaitForAsync(http, HttpStatusCode.OK, "Healthy");
        Assert.Equal("Healthy", Status(healthy, "switchboard-redis"));
        Assert.Equal("Healthy", Status(healthy, "switchboard-workers"));
        Assert.Equal("Healthy", Status(healthy, "switchboard-queues"));
        Assert.Equal("browser side and queues", (string?)healthy["entries"]!["switchboard-redis"]!["data"]!["roles"]);

        Process.GetProcessById(server.ProcessId!.Value).Kill();
        await server.StopAsync();
        var down = await WaitForAsync(http, HttpStatusCode.ServiceUnavailable, "Unhealthy");
        output.WriteLine(down.ToJsonString());
        Assert.Equal("Unhealthy", Status(down, "switchboard-redis"));
        Assert.Equal("Healthy", Status(down, "switchboard-windows"));

        await server.StartAgainAsync();
        var back = await WaitForAsync(http, HttpStatusCode.OK, "Healthy");
        Assert.Equal("Healthy", Status(back, "switchboard-redis"));
        Assert.DoesNotContain(password, healthy.ToJsonString() + down.ToJsonString() + back.ToJsonString(), StringComparison.Ordinal);
        Assert.False(web.HasExited, web.Tail());
    }

    private static string? Status(JsonNode report, string entry) => (string?)report["entries"]?[entry]?["status"];

    /// <summary>Asks <c>/healthz</c> until it answers <paramref name="code"/> with <paramref name="status"/> (the node notices an outage within its heartbeat).</summary>
    private async Task<JsonNode> WaitForAsync(HttpClient http, HttpStatusCode code, string status)
    {
        JsonNode? last = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Limit)
        {
            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
            last = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            if (response.StatusCode == code && (string?)last?["status"] == status)
            {
                output.WriteLine($"/healthz {status} after {clock.ElapsedMilliseconds} ms");
                return last;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"/healthz did not turn {status} within {Limit}; last: {last?.ToJsonString()}");
    }
}
