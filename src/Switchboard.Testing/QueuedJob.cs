using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>A job queued and not finished, as <see cref="SwitchboardTestHost.PendingJobs"/> lists it.</summary>
public sealed class QueuedJob
{
    internal QueuedJob(SignalJob job, DateTimeOffset? dueAt, bool canRun)
    {
        Job = job;
        DueAt = dueAt;
        CanRun = canRun;
    }

    /// <summary>The signal (or function) the job runs the handlers of, or the browser signal a delivery job sends.</summary>
    public string Signal => Job.Signal;

    /// <summary>The queue it waits on (delayed browser messages wait on <c>switchboard.deliveries</c>).</summary>
    public string Queue => Job.Queue;

    /// <summary>The keyword arguments as JSON.</summary>
    public JsonElement Kwargs
    {
        get
        {
            using var document = JsonDocument.Parse(Job.Kwargs);
            return document.RootElement.Clone();
        }
    }

    /// <summary>The window the call came from (or was made for): <see cref="WindowInfo.None"/> or null when there was none.</summary>
    public WindowInfo? Window => Job.Window;

    /// <summary>Whether a browser made the call (its window then gets the handlers' errors).</summary>
    public bool FromBrowser => Job.FromClient;

    /// <summary>Whether the job delivers a delayed browser message rather than running server handlers.</summary>
    public bool IsDelivery => Job.Kind == SignalJobKind.Deliver;

    /// <summary>When it may run (countdown, eta, a retry's delay); null: at once.</summary>
    public DateTimeOffset? DueAt { get; }

    /// <summary>Whether it can run now: due on the fake clock, and first of its window's ordered calls on its queue.</summary>
    public bool CanRun { get; }

    /// <summary>How many times it was attempted before.</summary>
    public int Attempt => Job.Attempt;

    /// <summary>The job itself.</summary>
    public SignalJob Job { get; }

    /// <summary>The signal, queue, due time and kwargs, for failure messages.</summary>
    public override string ToString() =>
        $"{Signal} on '{Queue}'{(IsDelivery ? " (delivery)" : "")}{(DueAt is { } due ? $" due {due:u}" : "")}{(CanRun ? "" : " (waiting)")} {Job.Kwargs}";
}
