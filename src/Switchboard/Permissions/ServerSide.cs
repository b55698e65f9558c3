namespace Switchboard;

/// <summary>Browsers may never call the handler (the default).</summary>
public sealed class ServerSide : SignalPermission
{
    /// <summary>The shared instance.</summary>
    public static ServerSide Instance { get; } = new();

    /// <inheritdoc />
    public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(false);
    }
}
