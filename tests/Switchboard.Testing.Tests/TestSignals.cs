using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Testing.Tests;

/// <summary>Small handlers of the tests' own: a chain of jobs, a handler that fails, a handler on its own queue.</summary>
public static class TestSignals
{
    public static ISwitchboardBuilder AddTestSignals(this ISwitchboardBuilder builder)
    {
        // A browser call that queues a server job of its own, which answers the window.
        builder.MapSignal("tests.chain.start", (WindowInfo window, ISignals signals, int n) =>
                signals.CallAsync(window, "tests.chain.next", to: [Destination.Server], kwargs: new { n = n + 1 }))
            .AllowEveryone();
        builder.MapSignal("tests.chain.next", (WindowInfo window, ISignals signals, int n) =>
            signals.CallAsync(window, "tests.chain.done", to: [Destination.Window], kwargs: new { n }));
        builder.MapSignal("tests.reports", (WindowInfo window, ISignals signals, string text) =>
                signals.CallAsync(window, "tests.reported", to: [Destination.Window], kwargs: new { text }))
            .AllowEveryone()
            .OnQueue("reports");
        builder.MapSignal("tests.fails", void (WindowInfo window) => throw new SignalException("it failed"))
            .AllowEveryone();
        // Waits on the app's clock: under the fake clock it runs on only when the test advances time.
        builder.MapSignal("tests.waits", async (WindowInfo window, ISignals signals, TimeProvider time, CancellationToken cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromMinutes(1), time, cancellationToken);
                await signals.CallAsync(window, "tests.waited", to: [Destination.Window], cancellationToken: cancellationToken);
            })
            .AllowEveryone();
        return builder;
    }
}
