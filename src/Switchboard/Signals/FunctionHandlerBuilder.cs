using System.Text.Json.Nodes;
using Switchboard.Internal.Registry;

namespace Switchboard;

/// <summary>
/// Configures a remote function added with <c>MapFunction</c>: who may invoke it from a browser, on which queue it
/// runs, whether one window's invokes run in order, and when an invoke that could not start is answered <c>expired</c>.
/// </summary>
public sealed class FunctionHandlerBuilder
{
    private readonly SignalRegistration _registration;
    private readonly SignalRegistrations _owner;

    internal FunctionHandlerBuilder(SignalRegistration registration, SignalRegistrations owner)
    {
        _registration = registration;
        _owner = owner;
    }

    /// <summary>Sets the permission browsers need to invoke the function (default <see cref="ServerSide"/>: none may).</summary>
    public FunctionHandlerBuilder AllowedTo(SignalPermission permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        _owner.ThrowIfFrozen();
        _registration.Permission = permission;
        return this;
    }

    /// <summary>Every window may invoke the function.</summary>
    public FunctionHandlerBuilder AllowEveryone() => AllowedTo(Everyone.Instance);

    /// <summary>Windows whose user has <paramref name="permission"/> may invoke the function.</summary>
    public FunctionHandlerBuilder RequirePermission(string permission) => AllowedTo(new HasPermission(permission));

    /// <summary>Windows whose user satisfies the authorization policy <paramref name="policyName"/> may invoke the function.</summary>
    public FunctionHandlerBuilder RequirePolicy(string policyName) => AllowedTo(new PolicyPermission(policyName));

    /// <summary>Tries the function up to <paramref name="maxAttempts"/> times when it throws; only the last try answers.</summary>
    public FunctionHandlerBuilder WithRetries(int maxAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _owner.ThrowIfFrozen();
        _registration.MaxAttempts = maxAttempts;
        return this;
    }

    /// <summary>Runs the function on <paramref name="queue"/>.</summary>
    public FunctionHandlerBuilder OnQueue(string queue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        _owner.ThrowIfFrozen();
        _registration.Queue = queue;
        return this;
    }

    /// <summary>Runs the function on the queue <paramref name="selector"/> returns for each invoke.</summary>
    public FunctionHandlerBuilder OnQueue(IQueueSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        _owner.ThrowIfFrozen();
        _registration.QueueSelector = selector;
        return this;
    }

    /// <summary>Runs the function on the queue <paramref name="selector"/> (function name, window, kwargs) returns for each invoke.</summary>
    public FunctionHandlerBuilder OnQueue(Func<string, WindowInfo, JsonObject?, string> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        _owner.ThrowIfFrozen();
        _registration.QueueFunction = selector;
        return this;
    }

    /// <summary>
    /// Lets invokes of this function from one window run in parallel (see <see cref="FunctionAttribute.Ordered"/>): for
    /// functions whose calls are independent of each other.
    /// </summary>
    public FunctionHandlerBuilder Unordered()
    {
        _owner.ThrowIfFrozen();
        _registration.Ordered = false;
        return this;
    }

    /// <summary>Answers an invoke that could not start within <paramref name="timeout"/> with <c>expired</c> instead of running it.</summary>
    public FunctionHandlerBuilder ExpiresAfter(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _owner.ThrowIfFrozen();
        _registration.ExpiresAfter = timeout;
        return this;
    }
}
