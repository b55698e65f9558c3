using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Dashboard;
using Switchboard.Internal.Diagnostics;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Dashboard;

/// <summary>
/// What a node measures for the dashboard, from its own meter: refusals by reason over the last 15 minutes, pickup
/// percentiles and rate per queue; nothing while not listening; another host's meter never counted.
/// </summary>
public sealed class DashboardMeasurementsTests
{
    [Fact]
    public async Task RefusalsAreCountedByReasonWhileListeningAndAgeOut()
    {
        await using var sb = await CreateAsync();
        await using var other = await CreateAsync();
        var metrics = sb.Services.GetRequiredService<SwitchboardMetrics>();
        var measurements = sb.Services.GetRequiredService<DashboardMeasurements>();
        metrics.Refused("origin");

        measurements.Start();
        metrics.Refused("origin");
        metrics.Refused("origin");
        metrics.Refused("rate_limited");
        other.Services.GetRequiredService<SwitchboardMetrics>().Refused("origin");
        sb.Time.Advance(TimeSpan.FromMinutes(10));
        metrics.Refused("bad_token");

        Assert.Equal(new Dictionary<string, long> { ["origin"] = 2, ["rate_limited"] = 1, ["bad_token"] = 1 }, measurements.Refusals());
        sb.Time.Advance(TimeSpan.FromMinutes(7));
        Assert.Equal(new Dictionary<string, long> { ["bad_token"] = 1 }, measurements.Refusals());
        measurements.Stop();
        metrics.Refused("bad_token");
        Assert.Equal(new Dictionary<string, long> { ["bad_token"] = 1 }, measurements.Refusals());
    }

    [Fact]
    public async Task PickupPercentilesAndRatePerQueue()
    {
        await using var sb = await CreateAsync();
        var metrics = sb.Services.GetRequiredService<SwitchboardMetrics>();
        var measurements = sb.Services.GetRequiredService<DashboardMeasurements>();
        Assert.False(metrics.PickupDurationEnabled);
        measurements.Start();
        Assert.True(metrics.PickupDurationEnabled);

        for (var ms = 100; ms >= 1; ms--)
        {
            metrics.JobPickedUp("default", TimeSpan.FromMilliseconds(ms));
        }
        sb.Time.Advance(TimeSpan.FromMinutes(2));
        metrics.JobPickedUp("slow", TimeSpan.FromSeconds(3));

        var pickups = measurements.Pickups();
        var d = pickups["default"];
        Assert.Equal((0.050, 0.099, 0.0, 100), (Math.Round(d.P50, 6), Math.Round(d.P99, 6), d.PerSecond, d.Samples));
        Assert.Equal((3.0, 3.0, 1 / 60.0, 1), pickups["slow"]);
    }

    [Theory]
    [InlineData(new double[] { 1 }, 0.5, 1)]
    [InlineData(new double[] { 1, 2 }, 0.5, 1)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.99, 4)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.5, 2)]
    public void PercentileIsTheNearestRank(double[] sorted, double p, double expected) =>
        Assert.Equal(expected, DashboardMeasurements.Percentile(sorted, p));

    private static Task<SwitchboardHarness> CreateAsync() =>
        SwitchboardHarness.CreateAsync(b => b.MapSignal("tests.dashboard", (WindowInfo w) => { }));
}
