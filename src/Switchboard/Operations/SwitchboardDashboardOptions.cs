namespace Switchboard;

/// <summary>
/// What <c>MapSwitchboardDashboard</c> serves and who may see it. Checked when the dashboard is mapped: a bad value
/// throws there, at startup. See docs/operations.md, Dashboard.
/// </summary>
public sealed class SwitchboardDashboardOptions
{
    /// <summary>
    /// The authorization policy every dashboard endpoint (the page, its data, its actions) requires.
    /// <value>The default value is null: the application's default policy (an authenticated user). Set a policy that
    /// admits operators only, e.g. staff; chaining <c>.RequireAuthorization("policy")</c> on the result adds one more.</value>
    /// </summary>
    public string? Policy { get; set; }

    /// <summary>
    /// How many dead letters of each queue the dashboard lists (the oldest first), 1 to 10,000.
    /// <value>The default value is 50.</value>
    /// </summary>
    public int DeadLettersShown { get; set; } = DefaultDeadLettersShown;

    internal const int DefaultDeadLettersShown = 50;

    internal void Validate()
    {
        if (Policy is { Length: 0 } || Policy is not null && string.IsNullOrWhiteSpace(Policy))
        {
            throw new InvalidOperationException("SwitchboardDashboardOptions.Policy must be null (the default policy) or a policy name.");
        }
        if (DeadLettersShown is < 1 or > 10_000)
        {
            throw new InvalidOperationException($"SwitchboardDashboardOptions.DeadLettersShown must be between 1 and 10000 (was {DeadLettersShown}).");
        }
    }
}
