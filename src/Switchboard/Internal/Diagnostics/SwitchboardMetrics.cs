using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard.Internal.Diagnostics;

/// <summary>
/// Switchboard's instruments, on the meter <c>Switchboard</c> (docs/operations.md, Metrics): windows connected, refusals
/// by reason (security and abuse included), calls, invokes and jobs by outcome; latencies of calls, job pickup, handlers
/// and local delivery; topics and outbox bytes per node; deliveries, replays and 4101 closes. Names and units follow
/// OpenTelemetry's conventions (durations in seconds). Histograms are timed only while someone listens to them.
/// </summary>
internal sealed class SwitchboardMetrics
{
    public const string MeterName = "Switchboard";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _windows;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _invokes;
    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _callDuration;
    private readonly Histogram<double> _pickupDuration;
    private readonly Histogram<double> _handlerDuration;
    private readonly Histogram<double> _deliveryDuration;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _replays;
    private readonly Counter<long> _overflows;
    private int _observing;

    public SwitchboardMetrics(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(MeterName);
        _windows = meter.CreateUpDownCounter<long>("switchboard.windows", "{window}", "Windows connected to this node.");
        _refusals = meter.CreateCounter<long>("switchboard.refusals", "{refusal}", "Refused connections, frames and calls, by reason.");
        _calls = meter.CreateCounter<long>("switchboard.calls", "{call}", "Browser calls, by outcome.");
        _invokes = meter.CreateCounter<long>("switchboard.invokes", "{invoke}", "Browser invokes of remote functions, by outcome at dispatch.");
        _jobs = meter.CreateCounter<long>("switchboard.jobs", "{job}", "Handler runs, by outcome.");
        _callDuration = meter.CreateHistogram<double>("switchboard.call.duration", "s",
            "From a browser call's frame read to its answer (accepted or refused) on the web node, by type and outcome.");
        _pickupDuration = meter.CreateHistogram<double>("switchboard.job.pickup.duration", "s",
            "From a job being queued (or due, when delayed or retried) to a worker picking it up, by queue.");
        _handlerDuration = meter.CreateHistogram<double>("switchboard.handler.duration", "s",
            "How long a handler ran, by signal (registered names only) and outcome.");
        _deliveryDuration = meter.CreateHistogram<double>("switchboard.delivery.duration", "s",
            "From a publish on this node to the message being handed to this node's windows (through the broker and back).");
        _deliveries = meter.CreateCounter<long>("switchboard.deliveries", "{delivery}", "Messages handed to windows on this node, one per window.");
        _replays = meter.CreateCounter<long>("switchboard.replays", "{replay}", "Replays of missed messages to a window, by whether everything was recovered.");
        _overflows = meter.CreateCounter<long>("switchboard.outbox.overflows", "{window}", "Windows closed with 4101 because their send queue was full.");
    }

    public void WindowConnected() => _windows.Add(1);

    public void WindowDisconnected() => _windows.Add(-1);

    public void Refused(string reason) => _refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Call(bool accepted) => _calls.Add(1, new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "refused"));

    public void Invoke(bool accepted) => _invokes.Add(1, new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "refused"));

    public void Job(string outcome) => _jobs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Whether call durations are recorded: take the start timestamp only then.</summary>
    public bool CallDurationEnabled => _callDuration.Enabled;

    public bool PickupDurationEnabled => _pickupDuration.Enabled;

    public bool HandlerDurationEnabled => _handlerDuration.Enabled;

    public bool DeliveryDurationEnabled => _deliveryDuration.Enabled;

    /// <summary>A browser call (<paramref name="type"/> <c>call</c> or <c>invoke</c>) answered; <paramref name="started"/> is a <see cref="Stopwatch"/> timestamp.</summary>
    public void CallAnswered(string type, bool accepted, long started) =>
        _callDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("switchboard.call.type", type),
            new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "refused"));

    /// <summary>A job was picked up after waiting <paramref name="waited"/> on <paramref name="queue"/>.</summary>
    public void JobPickedUp(string queue, TimeSpan waited) =>
        _pickupDuration.Record(Math.Max(0, waited.TotalSeconds), new KeyValuePair<string, object?>("messaging.destination.name", queue));

    /// <summary>A handler of <paramref name="signal"/> (a registered name) ran from <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void HandlerRan(string signal, string outcome, long started) =>
        _handlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("switchboard.signal", signal),
            new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A message published from <paramref name="published"/> (a <see cref="Stopwatch"/> timestamp) reached this node's windows.</summary>
    public void Delivered(long published) => _deliveryDuration.Record(Stopwatch.GetElapsedTime(published).TotalSeconds);

    /// <summary>A message was handed to <paramref name="windows"/> windows (one measurement per message, not per window).</summary>
    public void Deliveries(int windows)
    {
        if (windows > 0)
        {
            _deliveries.Add(windows);
        }
    }

    public void Replayed(bool recovered) => _replays.Add(1, new KeyValuePair<string, object?>("recovered", recovered));

    public void OutboxOverflowed() => _overflows.Add(1);

    /// <summary>
    /// The node's observable instruments, read when a listener collects: topics this node's windows are on, and bytes
    /// waiting in their send queues. Registered once, by the owner of the windows.
    /// </summary>
    public void ObserveNode(Func<long> topics, Func<long> outboxBytes)
    {
        if (Interlocked.Exchange(ref _observing, 1) == 1)
        {
            return;
        }
        _meter.CreateObservableUpDownCounter("switchboard.topics", topics, "{topic}", "Topics with at least one window on this node (each subscribed on the broker).");
        _meter.CreateObservableUpDownCounter("switchboard.outbox.size", outboxBytes, "By", "Bytes of frames waiting in this node's windows' send queues.");
    }
}
