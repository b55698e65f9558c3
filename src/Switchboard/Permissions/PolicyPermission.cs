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
        // A scope per check, as a request has: the app's authorization handlers may be scoped services.
        await using var scope = context.Services.CreateAsyncScope();
        var authorization = scope.ServiceProvider.GetService<IAuthorizationService>()
            ?? throw new InvalidOperationException(
                $"Signal '{context.Signal}' requires the policy '{PolicyName}' but no IAuthorizationService is registered: call services.AddAuthorization().");
        var result = await authorization.AuthorizeAsync(context.Window.ToClaimsPrincipal(), context, PolicyName);
        return result.Succeeded;
    }

    /// <summary>Throws, naming <paramref name="owner"/>, when the policy is not registered (checked at startup where browsers connect).</summary>
    internal async ValueTask ValidateAsync(IServiceProvider services, string owner)
    {
        var provider = services.GetService<IAuthorizationPolicyProvider>()
            ?? throw new InvalidOperationException(
                $"{owner} requires the policy '{PolicyName}' but no authorization services are registered: call services.AddAuthorization() with that policy.");
        if (await provider.GetPolicyAsync(PolicyName) is null)
        {
            throw new InvalidOperationException(
                $"{owner} requires the policy '{PolicyName}', which is not registered: add it with services.AddAuthorization(o => o.AddPolicy(\"{PolicyName}\", ...)).");
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Policy({PolicyName})";
}
