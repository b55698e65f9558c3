namespace Switchboard;

/// <summary>Every window may call the handler.</summary>
public sealed class Everyone : SignalPermission
{
    /// <summary>The shared instance.</summary>
    public static Everyone Instance { get; } = new();

    /// <inheritdoc />
    public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(true);
    }
}
