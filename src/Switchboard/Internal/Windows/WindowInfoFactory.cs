using System.Collections.Frozen;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Windows;

/// <summary>Builds the <see cref="WindowInfo"/> snapshot of a request, with the application's extensions.</summary>
internal sealed class WindowInfoFactory(IOptions<SwitchboardOptions> options, IEnumerable<IWindowInfoExtension>? extensions = null)
{
    private static readonly HashSet<string> SkippedClaims = new(StringComparer.Ordinal) { ClaimTypes.Role };

    private readonly IWindowInfoExtension[] _extensions = [.. extensions ?? []];

    /// <summary>
    /// The window of <paramref name="context"/>: its user and the extensions of the request (run once per request, see
    /// <see cref="ExtensionsOf"/>).
    /// </summary>
    public WindowInfo Create(HttpContext context, string? windowKey) => Create(context, windowKey, ExtensionsOf(context));

    /// <summary>The window of <paramref name="context"/> with the given <paramref name="extensions"/> (a WebSocket's: those of its token).</summary>
    public WindowInfo Create(HttpContext context, string? windowKey, FrozenDictionary<string, JsonElement> extensions)
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
            return new WindowInfo { WindowKey = windowKey, Culture = culture, UserAgent = userAgent, Extensions = extensions };
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
            Extensions = extensions,
        };
    }

    /// <summary>
    /// The extensions of <paramref name="context"/>: the registered <see cref="IWindowInfoExtension"/>s run in registration
    /// order, over the values signed into the token of the window the request acts as (which win); computed once and kept
    /// in the request's <see cref="WindowFeature"/>, so a page's token and the calls made while rendering it agree.
    /// </summary>
    public FrozenDictionary<string, JsonElement> ExtensionsOf(HttpContext context)
    {
        var feature = context.Features.Get<WindowFeature>();
        if (feature?.Extensions is { } known)
        {
            return known;
        }
        var signed = feature?.SignedExtensions;
        FrozenDictionary<string, JsonElement> computed;
        if (_extensions.Length == 0)
        {
            computed = signed ?? WindowExtensionValues.Empty;
        }
        else
        {
            var bag = new WindowExtensionBag(options.Value.MaxWindowExtensionsBytes, signed);
            foreach (var extension in _extensions)
            {
                bag.Source = extension is DelegateWindowInfoExtension d ? d.Name : extension.GetType().FullName ?? extension.GetType().Name;
                extension.Extend(context, bag);
            }
            computed = bag.ToFrozen();
        }
        if (feature is not null)
        {
            feature.Extensions = computed;
        }
        return computed;
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
