namespace Switchboard;

/// <summary>
/// Marks a method as a remote function: a browser invokes it (<c>df.invoke(name, kwargs)</c>, <c>df.fn.name(kwargs)</c>)
/// and gets its return value back. The method's first parameter must be a <see cref="WindowInfo"/>; the others bind
/// from the kwargs by name or from DI, as for <see cref="SignalAttribute"/>. It returns a value (<c>T</c>,
/// <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c>, serialized as JSON) or nothing (<c>void</c>, <c>Task</c>,
/// <c>ValueTask</c>: the browser gets <c>null</c>). A function has exactly one handler, and its name is not also a
/// signal's. Methods are discovered by <c>ISwitchboardBuilder.AddSignalsFrom(assembly)</c>. See docs/functions.md.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class FunctionAttribute : Attribute
{
    /// <summary>
    /// Creates the attribute for a function named after the method: <c>Type.Method</c> (the declaring type's name, outer
    /// types first for a nested one; the method's name without an <c>Async</c> suffix), e.g. <c>ChatSignals.Post</c>
    /// for <c>ChatSignals.PostAsync</c>. The start fails, naming both methods, when two methods get the same name this
    /// way or one such name is also another method's.
    /// </summary>
    public FunctionAttribute()
    {
    }

    /// <summary>Creates the attribute for the function <paramref name="name"/>.</summary>
    /// <param name="name">The dotted function name, matching <c>^[_a-zA-Z]\w*(\.[_a-zA-Z]\w*)*$</c>.</param>
    public FunctionAttribute(string name) => Name = name;

    /// <summary>The function name; null: named after the method (see the parameterless constructor).</summary>
    public string? Name { get; }

    /// <summary>
    /// A <see cref="SignalPermission"/> type deciding whether a browser window may invoke this function.
    /// <value>The default is <see cref="ServerSide"/>: browsers may not invoke it.</value>
    /// </summary>
    public Type? IsAllowedTo { get; set; }

    /// <summary>
    /// Shortcut for <c>HasPermission(Permission)</c>: a browser may invoke the function when its user has this permission.
    /// Ignored when <see cref="IsAllowedTo"/> or <see cref="Policy"/> is set.
    /// </summary>
    public string? Permission { get; set; }

    /// <summary>The name of an ASP.NET Core authorization policy the window's user must satisfy.</summary>
    public string? Policy { get; set; }

    /// <summary>
    /// The queue the function runs on.
    /// <value>The default is <see cref="SwitchboardOptions.DefaultQueue"/> (<c>"default"</c>).</value>
    /// </summary>
    public string? Queue { get; set; }

    /// <summary>An <see cref="IQueueSelector"/> type computing the queue per invoke; wins over <see cref="Queue"/>.</summary>
    public Type? QueueSelector { get; set; }

    /// <summary>
    /// How many times the function is tried when it throws (<see cref="SwitchboardOptions.Retry"/>); only the last
    /// try answers the browser.
    /// <value>The default is 1 (no retry).</value>
    /// </summary>
    public int MaxAttempts { get; set; } = 1;

    /// <summary>
    /// Whether invokes of this function from one window run one after another, in the order the window sent them,
    /// with that window's other ordered calls on the same queue. False: they may run in parallel.
    /// <value>The default is true.</value>
    /// </summary>
    public bool Ordered { get; set; } = true;

    /// <summary>
    /// When positive, an invoke that could not start within this many seconds is dropped and answered with
    /// <c>expired</c> (as a signal's <c>expires</c>).
    /// <value>The default is 0: invokes never expire.</value>
    /// </summary>
    public double ExpiresAfterSeconds { get; set; }
}
