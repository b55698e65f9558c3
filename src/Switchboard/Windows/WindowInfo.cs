using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Internal.Windows;

namespace Switchboard;

/// <summary>
/// A serializable snapshot of who called and from which window. It is the first argument of every server
/// handler and travels with jobs to workers, so a handler can answer the window (<see cref="Destination.Window"/>)
/// or its user (<see cref="Destination.User"/>). Instances are immutable.
/// </summary>
public sealed class WindowInfo
{
    /// <summary>The window key of the page (at least 128 random bits), or null outside a page.</summary>
    [JsonPropertyName("window_key")]
    public string? WindowKey { get; init; }

    /// <summary>The user's stable id (the <see cref="ClaimTypes.NameIdentifier"/> claim, else the name), or null when anonymous.</summary>
    [JsonPropertyName("user_id")]
    public string? UserId { get; init; }

    /// <summary>The user's display name, or null when anonymous.</summary>
    [JsonPropertyName("user_name")]
    public string? UserName { get; init; }

    /// <summary>Whether the user is authenticated.</summary>
    [JsonPropertyName("is_authenticated")]
    public bool IsAuthenticated { get; init; }

    /// <summary>Whether the user is anonymous.</summary>
    [JsonIgnore]
    public bool IsAnonymous => !IsAuthenticated;

    /// <summary>Whether the user has the staff role (<see cref="SwitchboardOptions.StaffRole"/>).</summary>
    [JsonPropertyName("is_staff")]
    public bool IsStaff { get; init; }

    /// <summary>Whether the user has the superuser role (<see cref="SwitchboardOptions.SuperuserRole"/>); a superuser has every permission.</summary>
    [JsonPropertyName("is_superuser")]
    public bool IsSuperuser { get; init; }

    /// <summary>The user's roles.</summary>
    [JsonPropertyName("roles")]
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The user's permissions (claims of type <see cref="SwitchboardOptions.PermissionClaimType"/>).</summary>
    [JsonPropertyName("permissions")]
    public IReadOnlyList<string> Permissions { get; init; } = [];

    /// <summary>The user's other claims, used to evaluate authorization policies away from the request.</summary>
    [JsonPropertyName("claims")]
    public IReadOnlyList<WindowClaim> Claims { get; init; } = [];

    /// <summary>The authentication type of the user's identity, kept so the rebuilt principal is authenticated.</summary>
    [JsonPropertyName("auth_type")]
    public string? AuthenticationType { get; init; }

    /// <summary>The request's UI culture name (e.g. <c>fr-FR</c>); workers run handlers under it.</summary>
    [JsonPropertyName("culture")]
    public string? Culture { get; init; }

    /// <summary>The browser's User-Agent header.</summary>
    [JsonPropertyName("user_agent")]
    public string? UserAgent { get; init; }

    /// <summary>
    /// The application's own fields (DjangoFloor's <c>WINDOW_INFO_MIDDLEWARES</c>), set by <see cref="IWindowInfoExtension"/>s
    /// when the page was rendered and carried by its window token, its WebSocket and its jobs: name → JSON value. Read them
    /// with <see cref="GetExtension{T}"/> or <see cref="TryGetExtension{T}"/>. Empty when none were set.
    /// </summary>
    [JsonPropertyName("extensions")]
    public IReadOnlyDictionary<string, JsonElement> Extensions
    {
        get => _extensions;
        init => _extensions = WindowExtensionValues.Freeze(value);
    }

    private readonly IReadOnlyDictionary<string, JsonElement> _extensions = WindowExtensionValues.Empty;

    /// <summary>A window that addresses nobody: no key, anonymous. Used for calls made outside any page.</summary>
    public static WindowInfo None { get; } = new();

    /// <summary>
    /// The window of a page known only by its key (kept from <c>HttpContext.GetWindowKey()</c> or a handler's
    /// <see cref="WindowKey"/>): a job, a background service or another process answers that window with
    /// <c>signals.CallAsync(WindowInfo.ForKey(key), "…", to: [Destination.Window])</c>. It carries no user: use the
    /// handler's own <see cref="WindowInfo"/> where USER or permissions matter.
    /// </summary>
    public static WindowInfo ForKey(string windowKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(windowKey);
        return new WindowInfo { WindowKey = windowKey };
    }

    /// <summary>The extension <paramref name="name"/> read as <typeparamref name="T"/> (System.Text.Json, the conventions of kwargs).</summary>
    /// <exception cref="KeyNotFoundException">The window has no extension <paramref name="name"/>.</exception>
    /// <exception cref="InvalidOperationException">Its value is not a <typeparamref name="T"/> (the message names the field and the type).</exception>
    public T GetExtension<T>(string name) =>
        _extensions.TryGetValue(name, out var value)
            ? WindowExtensionValues.Read<T>(name, value)
            : throw new KeyNotFoundException(
                $"The window has no extension '{name}' (it has {(_extensions.Count == 0 ? "none" : string.Join(", ", _extensions.Keys.Order(StringComparer.Ordinal)))}): "
                + "no IWindowInfoExtension set it when the page was rendered.");

    /// <summary>The extension <paramref name="name"/> read as <typeparamref name="T"/>; false when the window has none of that name.</summary>
    /// <exception cref="InvalidOperationException">Its value is not a <typeparamref name="T"/> (the message names the field and the type).</exception>
    public bool TryGetExtension<T>(string name, [MaybeNullWhen(false)] out T value)
    {
        if (_extensions.TryGetValue(name, out var json))
        {
            value = WindowExtensionValues.Read<T>(name, json);
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Whether the user has <paramref name="permission"/> (superusers have all).</summary>
    public bool HasPermission(string permission) =>
        IsAuthenticated && (IsSuperuser || Permissions.Contains(permission, StringComparer.Ordinal));

    /// <summary>Rebuilds a <see cref="ClaimsPrincipal"/> from this snapshot, for authorization policies.</summary>
    public ClaimsPrincipal ToClaimsPrincipal()
    {
        if (!IsAuthenticated)
        {
            return new ClaimsPrincipal(new ClaimsIdentity());
        }
        var claims = new List<Claim>(Claims.Count + Roles.Count + 2);
        foreach (var claim in Claims)
        {
            claims.Add(new Claim(claim.Type, claim.Value));
        }
        foreach (var role in Roles)
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }
        if (UserId is not null && !Claims.Any(c => c.Type == ClaimTypes.NameIdentifier))
        {
            claims.Add(new Claim(ClaimTypes.NameIdentifier, UserId));
        }
        if (UserName is not null && !Claims.Any(c => c.Type == ClaimTypes.Name))
        {
            claims.Add(new Claim(ClaimTypes.Name, UserName));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType ?? "Switchboard"));
    }
}
