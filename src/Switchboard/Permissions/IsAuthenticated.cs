namespace Switchboard;

/// <summary>Windows of authenticated users may call the handler.</summary>
public sealed class IsAuthenticated : SignalPermission
{
    /// <summary>The shared instance.</summary>
    public static IsAuthenticated Instance { get; } = new();

    /// <inheritdoc />
    public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.Window.IsAuthenticated);
    }
}
