using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Internal.Workers;
using Switchboard.Specification.Tests;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Health;

/// <summary>
/// The health checks of <c>AddHealthChecks().AddSwitchboard()</c> on the in-memory backend and a fake clock (hosted
/// services not started unless a test starts the workers): thresholds, the statistics interval, the workers check.
/// </summary>
public sealed class SwitchboardHealthCheckTests
{
    [Fact]
    public async Task QueueDeeperThanTheThresholdIsDegradedOnceTheStatisticsAreReadAgain()
    {
        await using var sb = await CreateAsync(o => o.HealthChecks.MaxQueueDepth = 2);
        await EnqueueAsync(sb, "default", 2);

        var within = await CheckAsync(sb, SwitchboardHealthChecks.Queues);
        Assert.Equal(HealthStatus.Healthy, within.Status);
        Assert.Equal(2L, Stats(within, "default")["depth"]);

        await EnqueueAsync(sb, "default", 1);
        // Read at most once per QueueStatisticsInterval (5 s): the probe right after still sees the last read.
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(sb, SwitchboardHealthChecks.Queues)).Status);
        sb.Time.Advance(TimeSpan.FromSeconds(5));
        var over = await CheckAsync(sb, SwitchboardHealthChecks.Queues);

        Assert.Equal(HealthStatus.Degraded, over.Status);
        Assert.Equal("default: 3 jobs waiting (over 2).", over.Description);
        Assert.Equal(3L, Stats(over, "default")["depth"]);
    }

    [Fact]
    public async Task OldestJobWaitingLongerThanTheThresholdIsDegraded()
    {
        await using var sb = await CreateAsync(o => (o.QueueStatisticsInterval, o.HealthChecks.MaxOldestJobAge) = (TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2)));
        await EnqueueAsync(sb, "slow", 1);

        sb.Time.Advance(TimeSpan.FromSeconds(119));
        var young = await CheckAsync(sb, SwitchboardHealthChecks.Queues);
        sb.Time.Advance(TimeSpan.FromSeconds(2));
        var old = await CheckAsync(sb, SwitchboardHealthChecks.Queues);

        Assert.Equal(HealthStatus.Healthy, young.Status);
        Assert.Equal(119.0, Stats(young, "slow")["oldest_job_age_seconds"]);
        Assert.Equal(HealthStatus.Degraded, old.Status);
        Assert.Equal("slow: oldest job waiting 121 s (over 120 s).", old.Description);
        // A worker takes it: nothing waits any more.
        var lease = await sb.Jobs.DequeueAsync("slow", default).DefaultTimeout();
        sb.Time.Advance(TimeSpan.FromSeconds(1));
        var taken = await CheckAsync(sb, SwitchboardHealthChecks.Queues);
        Assert.Equal(HealthStatus.Healthy, taken.Status);
        Assert.Equal((0L, 1L, 0.0), ((long)Stats(taken, "slow")["depth"], (long)Stats(taken, "slow")["leased"], (double)Stats(taken, "slow")["oldest_job_age_seconds"]));
        await sb.Jobs.CompleteAsync(lease, default);
    }

    [Fact]
    public async Task EveryQueueWithHandlersIsReportedWithItsCounts()
    {
        await using var sb = await CreateAsync();
        await sb.Jobs.EnqueueAsync(SampleJobs.Minimal("slow", "later", sb.Time.GetUtcNow(), sb.Time.GetUtcNow() + TimeSpan.FromHours(1)), default);
        await sb.Jobs.DeadLetterAsync(SampleJobs.Minimal("default", "dead", sb.Time.GetUtcNow()), "failed", default);

        var report = await CheckAsync(sb, SwitchboardHealthChecks.Queues);

        Assert.Equal(["default", "slow", "switchboard.deliveries"], report.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1L, Stats(report, "slow")["delayed"]);
        Assert.Equal(1L, Stats(report, "default")["dead_letters"]);
        Assert.Equal("3 queues under their thresholds.", report.Description);
    }

    [Fact]
    public async Task WorkersAreUnhealthyUntilEveryQueueWithHandlersIsServedAndAfterTheyStop()
    {
        await using var sb = await CreateAsync(o => o.Workers.Count = 2);
        var host = sb.Services.GetRequiredService<WorkerHost>();

        var before = await CheckAsync(sb, SwitchboardHealthChecks.Workers);
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Equal("No running worker for queue(s) default, slow, switchboard.deliveries.", before.Description);

        await host.StartAsync(default);
        var serving = await CheckAsync(sb, SwitchboardHealthChecks.Workers);
        Assert.Equal(HealthStatus.Healthy, serving.Status);
        Assert.Equal(2, serving.Data["slow"]);
        Assert.Equal(2, serving.Data["default"]);

        await host.StopAsync(default);
        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync(sb, SwitchboardHealthChecks.Workers)).Status);
    }

    [Fact]
    public async Task ListedQueuesAreTheOnesWorkersMustServe()
    {
        await using var sb = await CreateAsync(o => o.Workers.Queues = ["slow"]);
        await sb.Services.GetRequiredService<WorkerHost>().StartAsync(default);

        var report = await CheckAsync(sb, SwitchboardHealthChecks.Workers);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["slow", "switchboard.deliveries"], report.Data.Keys.Order(StringComparer.Ordinal));
        await sb.Services.GetRequiredService<WorkerHost>().StopAsync(default);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task AProcessThatRunsNoWorkersIsHealthy(bool enabled, bool serveAll)
    {
        await using var sb = await CreateAsync(o => (o.Workers.Enabled, o.Workers.ServeAllQueuesWhenNoneListed) = (enabled, serveAll));

        var report = await CheckAsync(sb, SwitchboardHealthChecks.Workers);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("This process runs no workers.", report.Description);
    }

    [Fact]
    public async Task ChecksCarryTheSwitchboardTagAndTheApplicationsTags()
    {
        await using var sb = await CreateAsync(tags: ["ready"]);

        var report = await sb.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Name != SwitchboardHealthChecks.Windows).DefaultTimeout();

        Assert.Equal([SwitchboardHealthChecks.Queues, SwitchboardHealthChecks.Workers], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(report.Entries.Values, e => Assert.Equal(["ready", "switchboard"], e.Tags.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task ThresholdsCanBeSetWhereTheChecksAreAdded()
    {
        await using var sb = await CreateAsync(health: h => h.MaxQueueDepth = 0);
        await EnqueueAsync(sb, "default", 1);

        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(sb, SwitchboardHealthChecks.Queues)).Status);
    }

    [Fact]
    public async Task AddingTheChecksTwiceRegistersThemOnceAndKeepsBothConfigurations()
    {
        await using var sb = await SwitchboardHarness.CreateAsync(
            b => b.MapSignal("tests.health.default", (WindowInfo w) => { }),
            services: services => services.AddHealthChecks().AddSwitchboard().AddSwitchboard(h => h.MaxQueueDepth = 0));
        await EnqueueAsync(sb, "default", 1);

        var report = await sb.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Name == SwitchboardHealthChecks.Queues).DefaultTimeout();

        Assert.Equal(HealthStatus.Degraded, Assert.Single(report.Entries).Value.Status);
    }

    private static Task<SwitchboardHarness> CreateAsync(
        Action<SwitchboardOptions>? options = null, Action<SwitchboardHealthCheckOptions>? health = null, string[]? tags = null) =>
        SwitchboardHarness.CreateAsync(
            b =>
            {
                b.MapSignal("tests.health.default", (WindowInfo w) => { });
                b.MapSignal("tests.health.slow", (WindowInfo w) => { }).OnQueue("slow");
            },
            options,
            services => services.AddHealthChecks().AddSwitchboard(health, tags));

    private static async Task EnqueueAsync(SwitchboardHarness sb, string queue, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await sb.Jobs.EnqueueAsync(SampleJobs.Minimal(queue, Guid.NewGuid().ToString("N"), sb.Time.GetUtcNow()), default);
        }
    }

    private static async Task<HealthReportEntry> CheckAsync(SwitchboardHarness sb, string name)
    {
        var report = await sb.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == name).DefaultTimeout();
        return report.Entries[name];
    }

    private static IReadOnlyDictionary<string, object> Stats(HealthReportEntry entry, string queue) =>
        (IReadOnlyDictionary<string, object>)entry.Data[queue];
}
