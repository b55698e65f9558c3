using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// Records one host's <c>Switchboard</c> meter (options.md Metrics): only that host's instruments (the collectors are
/// scoped to its meter factory), so tests running in parallel do not see each other's measurements.
/// </summary>
internal sealed class SwitchboardMeter : IDisposable
{
    private readonly MetricCollector<long> _windows;
    private readonly MetricCollector<long> _refusals;
    private readonly MetricCollector<long> _calls;
    private readonly MetricCollector<long> _invokes;
    private readonly MetricCollector<long> _jobs;

    public SwitchboardMeter(SwitchboardHost host)
    {
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        _windows = new MetricCollector<long>(factory, "Switchboard", "switchboard.windows");
        _refusals = new MetricCollector<long>(factory, "Switchboard", "switchboard.refusals");
        _calls = new MetricCollector<long>(factory, "Switchboard", "switchboard.calls");
        _invokes = new MetricCollector<long>(factory, "Switchboard", "switchboard.invokes");
        _jobs = new MetricCollector<long>(factory, "Switchboard", "switchboard.jobs");
    }

    /// <summary>The reasons <c>switchboard.refusals</c> documents.</summary>
    public static IReadOnlyList<string> RefusalReasons { get; } =
        ["origin", "bad_token", "token_user", "capacity", "handshake_timeout", "frame_too_large", "binary_frame", "bad_frame", "rate_limited", "rate_limit_abuse"];

    /// <summary>Windows connected: the sum of the up-down counter's measurements.</summary>
    public long Windows => _windows.GetMeasurementSnapshot().Sum(m => m.Value);

    public long Refusals(string reason) => Sum(_refusals, "reason", reason);

    /// <summary>Every refusal by reason, for messages.</summary>
    public string RefusalSummary => string.Join(", ", _refusals.GetMeasurementSnapshot()
        .GroupBy(m => m.Tags["reason"]?.ToString()).Select(g => $"{g.Key}={g.Sum(m => m.Value)}"));

    public long Calls(string outcome) => Sum(_calls, "outcome", outcome);

    public long Invokes(string outcome) => Sum(_invokes, "outcome", outcome);

    public long Jobs(string outcome) => Sum(_jobs, "outcome", outcome);

    /// <summary>Asserts the refusal counts: the given ones exactly, every other documented reason zero.</summary>
    public void AssertRefusals(params (string Reason, long Count)[] expected)
    {
        foreach (var reason in RefusalReasons)
        {
            var count = expected.FirstOrDefault(e => e.Reason == reason).Count;
            Assert.True(Refusals(reason) == count, $"Expected {count} '{reason}' refusals; recorded: {RefusalSummary}");
        }
        Assert.All(_refusals.GetMeasurementSnapshot(), m => Assert.Contains(m.Tags["reason"]?.ToString(), RefusalReasons));
    }

    /// <summary>Waits (bounded) until the window count is <paramref name="count"/>: disconnects are recorded after the close.</summary>
    public async Task WaitForWindowsAsync(long count)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Frame);
        while (Windows != count)
        {
            var seen = _windows.GetMeasurementSnapshot().Count;
            try
            {
                await _windows.WaitForMeasurementsAsync(seen + 1, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"switchboard.windows is {Windows}, expected {count}.");
            }
        }
    }

    /// <summary>Waits (bounded) until <c>switchboard.jobs</c> recorded <paramref name="count"/> runs in all.</summary>
    public Task WaitForJobsAsync(int count) => _jobs.WaitForMeasurementsAsync(count, TestTimeouts.Frame);

    public void Dispose()
    {
        _windows.Dispose();
        _refusals.Dispose();
        _calls.Dispose();
        _invokes.Dispose();
        _jobs.Dispose();
    }

    private static long Sum(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags[tag], value)).Sum(m => m.Value);
}
