using Microsoft.AspNetCore.Authorization;

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

    /// <summary>
    /// The signed-in user's name: ASP.NET Core's <c>[Authorize]</c> on a handler is its permission (docs/deployment.md),
    /// so anonymous windows are refused <c>forbidden</c> and do not see it in <c>hello</c>. <c>await df.fn.demo.me()</c>.
    /// </summary>
    [Function("demo.me")]
    [Authorize]
    public static string? Me(WindowInfo window) => window.UserName;
}
