namespace Switchboard;

/// <summary>Windows of authenticated superusers may call the handler.</summary>
public sealed class IsSuperuser : SignalPermission
{
    /// <summary>The shared instance.</summary>
    public static IsSuperuser Instance { get; } = new();

    /// <inheritdoc />
    public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.Window.IsAuthenticated && context.Window.IsSuperuser);
    }
}
