namespace Switchboard;

/// <summary>Windows whose user has a permission (a claim of type <see cref="SwitchboardOptions.PermissionClaimType"/>) may call the handler; superusers have every permission.</summary>
public sealed class HasPermission : SignalPermission
{
    /// <summary>Creates the permission check.</summary>
    public HasPermission(string permission)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(permission);
        Permission = permission;
    }

    /// <summary>The required permission, e.g. <c>orders.edit</c>.</summary>
    public string Permission { get; }

    /// <inheritdoc />
    public override ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.Window.HasPermission(Permission));
    }

    /// <inheritdoc />
    public override string ToString() => $"HasPermission({Permission})";
}
