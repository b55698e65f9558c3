namespace Switchboard;

/// <summary>Windows of anonymous users may call the handler.</summary>
public sealed class IsAnonymous : SignalPermission
{
    /// <summary>The shared instance.</summary>
    public static IsAnonymous Instance { get; } = new();

    /// <inheritdoc />
    public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.Window.IsAnonymous);
    }
}
