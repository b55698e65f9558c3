namespace Switchboard;

/// <summary>Windows of authenticated staff users may call the handler.</summary>
public sealed class IsStaff : SignalPermission
{
    /// <summary>The shared instance.</summary>
    public static IsStaff Instance { get; } = new();

    /// <inheritdoc />
    public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.Window.IsAuthenticated && (context.Window.IsStaff || context.Window.IsSuperuser));
    }
}
