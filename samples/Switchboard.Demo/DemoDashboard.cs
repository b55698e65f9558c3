using System.Collections.Concurrent;

namespace Switchboard.Demo;

/// <summary>
/// Something for the dashboard to show (docs/operations.md, Dashboard): <c>demo.dead_letter</c> fails the first time it
/// runs for a note, so its job becomes a dead letter (one attempt: the default); requeued from the dashboard it runs
/// again, succeeds, and tells the page that called it.
/// </summary>
public static class DemoDashboard
{
    // Per process (the worker that runs it): enough for a demo, and for the browser test to see a requeue succeed.
    private static readonly ConcurrentDictionary<string, bool> Failed = new(StringComparer.Ordinal);

    [Signal("demo.dead_letter", IsAllowedTo = typeof(IsStaff))]
    public static Task DeadLetter(WindowInfo window, ISignals signals, string note)
    {
        if (Failed.TryAdd(note, true))
        {
            throw new InvalidOperationException($"demo.dead_letter fails once on purpose ({note}): requeue it from the dashboard.");
        }
        return signals.CallAsync(window, "demo.dead_letter.ran", to: [Destination.Window], kwargs: new DeadLetterRan(note));
    }
}
