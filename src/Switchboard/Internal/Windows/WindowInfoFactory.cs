using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Windows;

/// <summary>Builds the <see cref="WindowInfo"/> snapshot of a request.</summary>
internal sealed class WindowInfoFactory(IOptions<SwitchboardOptions> options)
{
    private static readonly HashSet<string> SkippedClaims = new(StringComparer.Ordinal) { ClaimTypes.Role };

    public WindowInfo Create(HttpContext context, string? windowKey)
    {
        var o = options.Value;
        var user = context.User;
        var identity = user.Identity;
        var authenticated = identity?.IsAuthenticated == true;
        var culture = context.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.Name
            ?? CultureInfo.CurrentUICulture.Name;
        var userAgent = context.Request.Headers.UserAgent.ToString();
        if (!authenticated)
        {
            return new WindowInfo { WindowKey = windowKey, Culture = culture, UserAgent = userAgent };
        }
        var roles = user.FindAll(c => c.Type == ClaimTypes.Role || c.Type == (user.Identity as ClaimsIdentity)?.RoleClaimType)
            .Select(c => c.Value).Distinct(StringComparer.Ordinal).ToArray();
        var permissions = user.FindAll(o.PermissionClaimType).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToArray();
        // Permission claims stay in Claims too: ToClaimsPrincipal rebuilds the user from Claims and Roles only, and a
        // policy such as RequireClaim("permission", ...) must see them as it would in the request.
        var claims = user.Claims
            .Where(c => !SkippedClaims.Contains(c.Type))
            .Select(c => new WindowClaim(c.Type, c.Value))
            .ToArray();
        return new WindowInfo
        {
            WindowKey = windowKey,
            UserId = UserIdOf(user),
            UserName = identity!.Name,
            IsAuthenticated = true,
            IsStaff = roles.Contains(o.StaffRole, StringComparer.Ordinal),
            IsSuperuser = roles.Contains(o.SuperuserRole, StringComparer.Ordinal),
            Roles = roles,
            Permissions = permissions,
            Claims = claims,
            AuthenticationType = identity.AuthenticationType,
            Culture = culture,
            UserAgent = userAgent,
        };
    }

    /// <summary>
    /// The user id of a request's principal (its name identifier, else its name; null when not authenticated): the one
    /// definition behind <see cref="WindowInfo.UserId"/>, the <c>-user.{id}</c> topic a <see cref="ClaimsPrincipal"/>
    /// serializes to (<see cref="DefaultTopicSerializer"/>) and the user a window token is bound to.
    /// </summary>
    public static string? UserIdOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name
            : null;
}
