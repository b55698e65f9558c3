namespace Switchboard;

/// <summary>
/// Marks a method as a server handler of a signal. The method's first parameter must be a <see cref="WindowInfo"/>.
/// Methods are discovered by <c>ISwitchboardBuilder.AddSignalsFrom(assembly)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class SignalAttribute : Attribute
{
    /// <summary>
    /// Creates the attribute for a signal named after the method: <c>Type.Method</c> (the declaring type's name, outer
    /// types first for a nested one; the method's name without an <c>Async</c> suffix), e.g. <c>ChatSignals.Post</c>
    /// for <c>ChatSignals.PostAsync</c>. The start fails, naming both methods, when two methods get the same name this
    /// way or one such name is also another method's.
    /// </summary>
    public SignalAttribute()
    {
    }

    /// <summary>Creates the attribute for the signal <paramref name="name"/>.</summary>
    /// <param name="name">The dotted signal name, matching <c>^[_a-zA-Z]\w*(\.[_a-zA-Z]\w*)*$</c>.</param>
    public SignalAttribute(string name) => Name = name;

    /// <summary>The signal name; null: named after the method (see the parameterless constructor).</summary>
    public string? Name { get; }

    /// <summary>
    /// A <see cref="SignalPermission"/> type deciding whether a browser window may call this handler.
    /// <value>The default is <see cref="ServerSide"/>: browsers may not call it.</value>
    /// </summary>
    public Type? IsAllowedTo { get; set; }

    /// <summary>
    /// Shortcut for <c>HasPermission(Permission)</c>: a browser may call the handler when its user has this permission.
    /// Ignored when <see cref="IsAllowedTo"/> or <see cref="Policy"/> is set.
    /// </summary>
    public string? Permission { get; set; }

    /// <summary>The name of an ASP.NET Core authorization policy the window's user must satisfy.</summary>
    public string? Policy { get; set; }

    /// <summary>
    /// The queue the handler runs on.
    /// <value>The default is <see cref="SwitchboardOptions.DefaultQueue"/> (<c>"default"</c>).</value>
    /// </summary>
    public string? Queue { get; set; }

    /// <summary>An <see cref="IQueueSelector"/> type computing the queue per call; wins over <see cref="Queue"/>.</summary>
    public Type? QueueSelector { get; set; }

    /// <summary>
    /// How many times the handler is tried when it throws, with exponential backoff and full jitter between tries
    /// (<see cref="SwitchboardOptions.Retry"/>); after the last failure the job goes to the dead letters.
    /// <value>The default is 1 (no retry).</value>
    /// </summary>
    public int MaxAttempts { get; set; } = 1;

    /// <summary>
    /// Whether the calls one browser window makes run one after another, in the order it made them (per queue; see
    /// docs/delivery.md). Set it to false when the calls are independent: they then run in parallel.
    /// <value>The default is true.</value>
    /// </summary>
    public bool Ordered { get; set; } = true;
}
