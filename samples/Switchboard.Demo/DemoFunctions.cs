namespace Switchboard.Demo;

/// <summary>The demo's remote functions: the browser invokes them (<c>df.invoke</c>, <c>df.fn</c>) and gets the return value.</summary>
public static class DemoFunctions
{
    /// <summary>Adds two numbers: <c>await df.fn.demo.add({a: 2, b: 3})</c> is 5.</summary>
    [Function("demo.add", IsAllowedTo = typeof(Everyone))]
    public static double Add(WindowInfo window, double a, double b) => a + b;

    /// <summary>Always fails with a message the browser sees: the Promise rejects with code <c>handler_failed</c>, message "nope".</summary>
    [Function("demo.fail", IsAllowedTo = typeof(Everyone))]
    public static int Fail(WindowInfo window) => throw new SignalException("nope");
}
