using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Operations;

/// <summary>Checks the health-check thresholds and the statistics interval at startup (<see cref="SwitchboardOptions.HealthChecks"/>).</summary>
internal sealed class OperationsOptionsValidator : IValidateOptions<SwitchboardOptions>
{
    public ValidateOptionsResult Validate(string? name, SwitchboardOptions options)
    {
        var errors = new List<string>();
        var h = options.HealthChecks;
        if (h is null)
        {
            return ValidateOptionsResult.Fail("Switchboard:HealthChecks must not be null.");
        }
        if (h.MaxQueueDepth < 0)
        {
            errors.Add($"Switchboard:HealthChecks:MaxQueueDepth must be 0 or more (got {h.MaxQueueDepth}).");
        }
        if (h.MaxOldestJobAge <= TimeSpan.Zero)
        {
            errors.Add($"Switchboard:HealthChecks:MaxOldestJobAge must be positive (got {h.MaxOldestJobAge}).");
        }
        if (!(h.WindowCapacityThreshold > 0 && h.WindowCapacityThreshold <= 1))
        {
            errors.Add($"Switchboard:HealthChecks:WindowCapacityThreshold must be above 0 and at most 1 (got {h.WindowCapacityThreshold}).");
        }
        if (h.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"Switchboard:HealthChecks:Timeout must be positive (got {h.Timeout}).");
        }
        if (options.QueueStatisticsInterval <= TimeSpan.Zero)
        {
            errors.Add($"Switchboard:QueueStatisticsInterval must be positive (got {options.QueueStatisticsInterval}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
