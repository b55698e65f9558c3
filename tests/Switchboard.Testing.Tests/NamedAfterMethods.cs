namespace Switchboard.Testing.Tests;

/// <summary>A signal and a function declared without names: each is named after its method (<c>Type.Method</c>).</summary>
public static class NamedAfterMethods
{
    [Signal(IsAllowedTo = typeof(Everyone))]
    public static Task GreetAsync(WindowInfo window, ISignals signals, string name) =>
        signals.CallAsync(window, "tests.greeted", to: [Destination.Window], kwargs: new { text = "Hello, " + name });

    [Function(IsAllowedTo = typeof(Everyone))]
    public static int Add(WindowInfo window, int a, int b) => a + b;
}
