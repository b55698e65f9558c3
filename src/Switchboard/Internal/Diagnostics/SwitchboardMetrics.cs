using System.Diagnostics.Metrics;

namespace Switchboard.Internal.Diagnostics;

/// <summary>
/// Switchboard's instruments, on the meter <c>Switchboard</c> (see docs/options.md, Metrics): windows connected, refusals by
/// reason (security and abuse included), calls, invokes and jobs by outcome.
/// </summary>
internal sealed class SwitchboardMetrics
{
    public const string MeterName = "Switchboard";

    private readonly UpDownCounter<long> _windows;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _invokes;
    private readonly Counter<long> _jobs;

    public SwitchboardMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _windows = meter.CreateUpDownCounter<long>("switchboard.windows", "{window}", "Windows connected to this node.");
        _refusals = meter.CreateCounter<long>("switchboard.refusals", "{refusal}", "Refused connections, frames and calls, by reason.");
        _calls = meter.CreateCounter<long>("switchboard.calls", "{call}", "Browser calls, by outcome.");
        _invokes = meter.CreateCounter<long>("switchboard.invokes", "{invoke}", "Browser invokes of remote functions, by outcome at dispatch.");
        _jobs = meter.CreateCounter<long>("switchboard.jobs", "{job}", "Handler runs, by outcome.");
    }

    public void WindowConnected() => _windows.Add(1);

    public void WindowDisconnected() => _windows.Add(-1);

    public void Refused(string reason) => _refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Call(bool accepted) => _calls.Add(1, new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "refused"));

    public void Invoke(bool accepted) => _invokes.Add(1, new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "refused"));

    public void Job(string outcome) => _jobs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
