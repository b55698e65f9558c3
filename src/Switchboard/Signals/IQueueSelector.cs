using System.Text.Json.Nodes;

namespace Switchboard;

/// <summary>
/// Computes a handler's queue per call (DjangoFloor's callable <c>queue</c>). It is evaluated once, when the call
/// is dispatched; the job then carries the handlers it must run, so the worker never re-evaluates it.
/// </summary>
public interface IQueueSelector
{
    /// <summary>Returns the queue name for this call.</summary>
    string SelectQueue(string signal, WindowInfo window, JsonObject? kwargs);

    /// <summary>The queues this selector may return, so workers can be started for them (empty when unknown).</summary>
    IReadOnlyCollection<string> AvailableQueues => [];
}
