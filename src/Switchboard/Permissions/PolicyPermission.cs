using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard;

/// <summary>Windows whose user satisfies an ASP.NET Core authorization policy may call the handler.</summary>
public sealed class PolicyPermission : SignalPermission
{
    /// <summary>Creates the check for the policy <paramref name="policyName"/>.</summary>
    public PolicyPermission(string policyName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policyName);
        PolicyName = policyName;
    }

    /// <summary>The policy name, as registered with <c>AddAuthorization</c>.</summary>
    public string PolicyName { get; }

    /// <inheritdoc />
    public override async ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.Services.GetService<IAuthorizationService>()
            ?? throw new InvalidOperationException(
                $"Signal '{context.Signal}' requires the policy '{PolicyName}' but no IAuthorizationService is registered: call services.AddAuthorization().");
        var result = await authorization.AuthorizeAsync(context.Window.ToClaimsPrincipal(), context, PolicyName);
        return result.Succeeded;
    }

    /// <inheritdoc />
    public override string ToString() => $"Policy({PolicyName})";
}
