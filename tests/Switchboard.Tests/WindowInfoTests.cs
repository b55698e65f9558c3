using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Specification.Tests;

namespace Switchboard.Tests;

public sealed class WindowInfoTests
{
    private static WindowInfo Full() => new()
    {
        WindowKey = "window-key",
        UserId = "user|42",
        UserName = "Zo\u00e9 \"Z\"",
        IsAuthenticated = true,
        IsStaff = true,
        IsSuperuser = true,
        Roles = ["staff", "superuser", "editor"],
        Permissions = ["orders.edit"],
        Claims = [new WindowClaim("department", "sales"), new WindowClaim(ClaimTypes.Email, "zoe@example.com")],
        AuthenticationType = "Cookies",
        Culture = "fr-FR",
        UserAgent = "Mozilla/5.0 (X11)",
        Extensions = new Dictionary<string, JsonElement>
        {
            ["tenant"] = JsonSerializer.SerializeToElement("acme"),
            ["flags"] = JsonSerializer.SerializeToElement(new { beta = true }),
        },
    };

    [Fact]
    public void JsonRoundTripKeepsEveryField()
    {
        var window = Full();
        DeepEquality.AssertEveryPropertySet(window);

        var copy = JsonSerializer.Deserialize<WindowInfo>(JsonSerializer.Serialize(window));

        DeepEquality.AssertEqual(window, copy);
    }

    [Fact]
    public void JsonUsesTheDocumentedSnakeCaseNames()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(Full()))!.AsObject();

        Assert.Equal(
            ["auth_type", "claims", "culture", "extensions", "is_authenticated", "is_staff", "is_superuser", "permissions", "roles", "user_agent", "user_id", "user_name", "window_key"],
            json.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void UnknownJsonFieldsAreIgnored()
    {
        var copy = JsonSerializer.Deserialize<WindowInfo>("""{"window_key":"k","from_the_future":1,"is_anonymous":false}""")!;

        Assert.Equal("k", copy.WindowKey);
        Assert.True(copy.IsAnonymous);
    }

    [Fact]
    public void NoneAddressesNobody()
    {
        Assert.Null(WindowInfo.None.WindowKey);
        Assert.Null(WindowInfo.None.UserId);
        Assert.True(WindowInfo.None.IsAnonymous);
        Assert.False(WindowInfo.None.ToClaimsPrincipal().Identity?.IsAuthenticated);
    }

    [Fact]
    public void SuperuserHasEveryPermission()
    {
        var superuser = new WindowInfo { IsAuthenticated = true, IsSuperuser = true };

        Assert.True(superuser.HasPermission("anything.at.all"));
        Assert.False(new WindowInfo { IsAuthenticated = true }.HasPermission("anything.at.all"));
    }

    [Fact]
    public void RebuiltPrincipalCarriesRolesClaimsAndIdentity()
    {
        var principal = Full().ToClaimsPrincipal();

        Assert.True(principal.Identity?.IsAuthenticated);
        Assert.Equal("Cookies", principal.Identity?.AuthenticationType);
        Assert.Equal("Zo\u00e9 \"Z\"", principal.Identity?.Name);
        Assert.Equal("user|42", principal.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.True(principal.IsInRole("editor"));
        Assert.True(principal.HasClaim("department", "sales"));
        Assert.Equal("zoe@example.com", principal.FindFirstValue(ClaimTypes.Email));
    }

    [Fact]
    public void RebuiltPrincipalDoesNotDuplicateIdentityClaims()
    {
        var window = new WindowInfo
        {
            UserId = "42",
            UserName = "ada",
            IsAuthenticated = true,
            Claims = [new WindowClaim(ClaimTypes.NameIdentifier, "42"), new WindowClaim(ClaimTypes.Name, "ada")],
        };

        var principal = window.ToClaimsPrincipal();

        Assert.Single(principal.FindAll(ClaimTypes.NameIdentifier));
        Assert.Single(principal.FindAll(ClaimTypes.Name));
    }

    [Fact]
    public void AuthenticatedSnapshotWithoutAuthenticationTypeStillRebuildsAnAuthenticatedUser()
    {
        Assert.True(new WindowInfo { UserId = "1", IsAuthenticated = true }.ToClaimsPrincipal().Identity?.IsAuthenticated);
    }

    [Fact]
    public void AnonymousSnapshotRebuildsAnAnonymousUserEvenWithClaims()
    {
        var principal = new WindowInfo { Roles = ["staff"], Claims = [new WindowClaim("department", "sales")] }.ToClaimsPrincipal();

        Assert.False(principal.Identity?.IsAuthenticated);
        Assert.False(principal.IsInRole("staff"));
    }
}
