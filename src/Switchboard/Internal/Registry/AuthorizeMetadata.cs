using System.Reflection;
using Microsoft.AspNetCore.Authorization;

namespace Switchboard.Internal.Registry;

/// <summary>
/// The ASP.NET Core authorization attributes of a handler (<c>[Authorize]</c>, <c>[AllowAnonymous]</c>), read once at
/// registration from the method and its declaring type, as MVC reads an action and its controller.
/// </summary>
internal sealed class AuthorizeMetadata
{
    private AuthorizeMetadata(IAuthorizeData[] authorize, bool allowAnonymous)
    {
        Authorize = authorize;
        AllowAnonymous = allowAnonymous;
    }

    /// <summary>Every <see cref="IAuthorizeData"/> of the type, then of the method: all must pass.</summary>
    public IAuthorizeData[] Authorize { get; }

    /// <summary>An <see cref="IAllowAnonymous"/> on the method or its type: the <see cref="Authorize"/> data are ignored, as in ASP.NET Core.</summary>
    public bool AllowAnonymous { get; }

    /// <summary>The attributes of <paramref name="method"/>, or null when it has none (then Switchboard's own permission alone decides).</summary>
    public static AuthorizeMetadata? Of(MethodInfo method)
    {
        var type = method.DeclaringType;
        var onType = type?.GetCustomAttributes(inherit: true) ?? [];
        var onMethod = method.GetCustomAttributes(inherit: true);
        var authorize = onType.Concat(onMethod).OfType<IAuthorizeData>().ToArray();
        var allowAnonymous = onType.Concat(onMethod).OfType<IAllowAnonymous>().Any();
        return authorize.Length == 0 && !allowAnonymous ? null : new AuthorizeMetadata(authorize, allowAnonymous);
    }

    /// <summary>
    /// The handler's permission given its own one (<paramref name="declared"/>, null when not set): with
    /// <c>[AllowAnonymous]</c> or no <c>[Authorize]</c>, the declared one or <see cref="Everyone"/>; otherwise both the
    /// declared one (or <see cref="Everyone"/>) and the combined <c>[Authorize]</c> policy.
    /// </summary>
    public SignalPermission Apply(SignalPermission? declared, string owner) =>
        AllowAnonymous || Authorize.Length == 0
            ? declared ?? Everyone.Instance
            : new AuthorizedPermission(declared ?? Everyone.Instance, Authorize, owner);

    /// <summary>How one attribute reads in logs and error messages, e.g. <c>[Authorize(Policy = "editors")]</c>.</summary>
    public static string Describe(IAuthorizeData data)
    {
        var parts = new List<string>(3);
        if (!string.IsNullOrEmpty(data.Policy))
        {
            parts.Add($"Policy = \"{data.Policy}\"");
        }
        if (!string.IsNullOrEmpty(data.Roles))
        {
            parts.Add($"Roles = \"{data.Roles}\"");
        }
        if (!string.IsNullOrEmpty(data.AuthenticationSchemes))
        {
            parts.Add($"AuthenticationSchemes = \"{data.AuthenticationSchemes}\"");
        }
        return parts.Count == 0 ? "[Authorize]" : $"[Authorize({string.Join(", ", parts)})]";
    }
}
