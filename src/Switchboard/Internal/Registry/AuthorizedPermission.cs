using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Internal.Registry;

/// <summary>
/// A handler's declared permission and its <c>[Authorize]</c> attributes: both must allow the window. The attributes
/// are read once at registration; their policy is combined once at startup (<see cref="PrepareAsync"/>, which also
/// fails the start on an unknown policy) and kept when the policy provider allows caching, as ASP.NET Core's
/// authorization middleware does; otherwise it is combined again for each check from the same attribute data.
/// </summary>
internal sealed class AuthorizedPermission(SignalPermission declared, IAuthorizeData[] authorize, string owner) : SignalPermission
{
    private AuthorizationPolicy? _policy;

    /// <summary>The handler's own permission (<see cref="Everyone"/> when it declared none).</summary>
    public SignalPermission Declared => declared;

    /// <summary>The <c>[Authorize]</c> attributes, type first.</summary>
    public IReadOnlyList<IAuthorizeData> Authorize => authorize;

    /// <summary>Combines the policy (and keeps it when the provider allows); throws, naming the handler, when it cannot be.</summary>
    public async ValueTask PrepareAsync(IServiceProvider services)
    {
        var provider = Provider(services);
        var policy = await CombineAsync(provider);
        if (provider.AllowsCachingPolicies)
        {
            Volatile.Write(ref _policy, policy);
        }
    }

    public override async ValueTask<bool> IsAllowedAsync(SignalPermissionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await declared.IsAllowedAsync(context, cancellationToken))
        {
            return false;
        }
        var policy = Volatile.Read(ref _policy) ?? await CombineAsync(Provider(context.Services));
        // A scope per check, as a request has: the app's authorization handlers may be scoped services.
        await using var scope = context.Services.CreateAsyncScope();
        var authorization = scope.ServiceProvider.GetService<IAuthorizationService>()
            ?? throw new InvalidOperationException($"{owner} has {Describe()} but no IAuthorizationService is registered: call services.AddAuthorization().");
        var result = await authorization.AuthorizeAsync(context.Window.ToClaimsPrincipal(), context, policy);
        return result.Succeeded;
    }

    public override string ToString() => $"{declared} and {Describe()}";

    private string Describe() => string.Join(" ", authorize.Select(AuthorizeMetadata.Describe));

    private IAuthorizationPolicyProvider Provider(IServiceProvider services) =>
        services.GetService<IAuthorizationPolicyProvider>()
        ?? throw new InvalidOperationException(
            $"{owner} has {Describe()} but no authorization services are registered: call services.AddAuthorization() (with its policies) in every process that registers the handler.");

    private async Task<AuthorizationPolicy> CombineAsync(IAuthorizationPolicyProvider provider)
    {
        try
        {
            return await AuthorizationPolicy.CombineAsync(provider, authorize)
                ?? throw new InvalidOperationException($"{owner}: {Describe()} gives no authorization policy.");
        }
        catch (InvalidOperationException e) when (!e.Message.StartsWith(owner, StringComparison.Ordinal))
        {
            // e.g. "The AuthorizationPolicy named: 'x' was not found.": say which handler asked for it.
            throw new InvalidOperationException($"{owner} has {Describe()}: {e.Message} Register the policy with services.AddAuthorization(o => o.AddPolicy(...)).", e);
        }
    }
}
