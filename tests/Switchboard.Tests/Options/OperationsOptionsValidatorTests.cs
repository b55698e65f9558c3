using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Switchboard.Tests.Options;

/// <summary>The health-check thresholds and the statistics interval are checked at startup, each with a message naming it.</summary>
public sealed class OperationsOptionsValidatorTests
{
    [Fact]
    public void TheDefaultsAreValid()
    {
        var options = Resolve(_ => { });

        Assert.Equal(1000, options.HealthChecks.MaxQueueDepth);
        Assert.Equal(TimeSpan.FromMinutes(1), options.HealthChecks.MaxOldestJobAge);
        Assert.Equal(0.9, options.HealthChecks.WindowCapacityThreshold);
        Assert.Equal(TimeSpan.FromSeconds(5), options.HealthChecks.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.QueueStatisticsInterval);
    }

    [Theory]
    [InlineData("MaxQueueDepth", "Switchboard:HealthChecks:MaxQueueDepth must be 0 or more (got -1).")]
    [InlineData("MaxOldestJobAge", "Switchboard:HealthChecks:MaxOldestJobAge must be positive (got 00:00:00).")]
    [InlineData("WindowCapacityThreshold", "Switchboard:HealthChecks:WindowCapacityThreshold must be above 0 and at most 1 (got 1.5).")]
    [InlineData("ZeroThreshold", "Switchboard:HealthChecks:WindowCapacityThreshold must be above 0 and at most 1 (got 0).")]
    [InlineData("Timeout", "Switchboard:HealthChecks:Timeout must be positive (got -00:00:01).")]
    [InlineData("QueueStatisticsInterval", "Switchboard:QueueStatisticsInterval must be positive (got 00:00:00).")]
    public void ABadValueStopsStartupNamingTheSetting(string setting, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(o =>
        {
            switch (setting)
            {
                case "MaxQueueDepth": o.HealthChecks.MaxQueueDepth = -1; break;
                case "MaxOldestJobAge": o.HealthChecks.MaxOldestJobAge = TimeSpan.Zero; break;
                case "WindowCapacityThreshold": o.HealthChecks.WindowCapacityThreshold = 1.5; break;
                case "ZeroThreshold": o.HealthChecks.WindowCapacityThreshold = 0; break;
                case "Timeout": o.HealthChecks.Timeout = TimeSpan.FromSeconds(-1); break;
                default: o.QueueStatisticsInterval = TimeSpan.Zero; break;
            }
        }));

        Assert.Contains(message, error.Failures);
    }

    private static SwitchboardOptions Resolve(Action<SwitchboardOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSwitchboard(configure);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value;
    }
}
