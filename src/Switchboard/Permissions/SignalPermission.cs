namespace Switchboard;

/// <summary>
/// Decides whether a browser window may call a server handler (DjangoFloor's <c>is_allowed_to</c>). Evaluated on the
/// web node for every handler of a browser-originated call, with the call's kwargs, before anything is queued; and
/// with <c>Kwargs = null</c> to build the list of signals sent to the window. Server-originated calls are never checked.
/// Derive from it and use the type in <see cref="SignalAttribute.IsAllowedTo"/> (it is created from DI).
/// </summary>
public abstract class SignalPermission
{
    /// <summary>Whether the call is allowed.</summary>
    public abstract ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken);

    /// <summary>A short description for logs and error messages.</summary>
    public override string ToString() => GetType().Name;
}
