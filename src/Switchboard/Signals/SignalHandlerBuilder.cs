using System.Text.Json.Nodes;
using Switchboard.Internal.Registry;

namespace Switchboard;

/// <summary>Configures a handler added with <c>MapSignal</c>: who may call it from a browser and on which queue it runs.</summary>
public sealed class SignalHandlerBuilder
{
    private readonly SignalRegistration _registration;
    private readonly SignalRegistrations _owner;

    internal SignalHandlerBuilder(SignalRegistration registration, SignalRegistrations owner)
    {
        _registration = registration;
        _owner = owner;
    }

    /// <summary>Sets the permission browsers need to call the handler (default <see cref="ServerSide"/>).</summary>
    public SignalHandlerBuilder AllowedTo(SignalPermission permission)
    {
        ArgumentNullException.ThrowIfNull(permission);
        _owner.ThrowIfFrozen();
        _registration.Permission = permission;
        return this;
    }

    /// <summary>Every window may call the handler.</summary>
    public SignalHandlerBuilder AllowEveryone() => AllowedTo(Everyone.Instance);

    /// <summary>Windows whose user has <paramref name="permission"/> may call the handler.</summary>
    public SignalHandlerBuilder RequirePermission(string permission) => AllowedTo(new HasPermission(permission));

    /// <summary>Windows whose user satisfies the authorization policy <paramref name="policyName"/> may call the handler.</summary>
    public SignalHandlerBuilder RequirePolicy(string policyName) => AllowedTo(new PolicyPermission(policyName));

    /// <summary>Tries the handler up to <paramref name="maxAttempts"/> times when it throws (see <see cref="SignalAttribute.MaxAttempts"/>).</summary>
    public SignalHandlerBuilder WithRetries(int maxAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _owner.ThrowIfFrozen();
        _registration.MaxAttempts = maxAttempts;
        return this;
    }

    /// <summary>
    /// Lets a window's calls of this handler run in parallel instead of one after another in the order they were made
    /// (see <see cref="SignalAttribute.Ordered"/>): for calls that do not depend on each other.
    /// </summary>
    public SignalHandlerBuilder Unordered()
    {
        _owner.ThrowIfFrozen();
        _registration.Ordered = false;
        return this;
    }

    /// <summary>Runs the handler on <paramref name="queue"/>.</summary>
    public SignalHandlerBuilder OnQueue(string queue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        _owner.ThrowIfFrozen();
        _registration.Queue = queue;
        return this;
    }

    /// <summary>Runs the handler on the queue <paramref name="selector"/> returns for each call.</summary>
    public SignalHandlerBuilder OnQueue(IQueueSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        _owner.ThrowIfFrozen();
        _registration.QueueSelector = selector;
        return this;
    }

    /// <summary>Runs the handler on the queue <paramref name="selector"/> (signal, window, kwargs) returns for each call.</summary>
    public SignalHandlerBuilder OnQueue(Func<string, WindowInfo, JsonObject?, string> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        _owner.ThrowIfFrozen();
        _registration.QueueFunction = selector;
        return this;
    }
}
