using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Switchboard.Internal.Windows;

namespace Switchboard.Tests.Windows;

public sealed class WindowInfoFactoryTests
{
    private static WindowInfoFactory Factory(SwitchboardOptions? options = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options ?? new SwitchboardOptions()));

    private static DefaultHttpContext Request(ClaimsPrincipal? user = null, string culture = "fr-FR", string userAgent = "Mozilla/5.0 (Test)")
    {
        var http = new DefaultHttpContext();
        if (user is not null)
        {
            http.User = user;
        }
        http.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(new CultureInfo("en-GB"), new CultureInfo(culture)), provider: null));
        http.Request.Headers.UserAgent = userAgent;
        return http;
    }

    private static ClaimsPrincipal User(params Claim[] claims) => new(new ClaimsIdentity(claims, "Cookies"));

    [Fact]
    public void AuthenticatedUserBecomesAFullSnapshot()
    {
        var user = User(
            new Claim(ClaimTypes.NameIdentifier, "42"),
            new Claim(ClaimTypes.Name, "ada"),
            new Claim(ClaimTypes.Role, "staff"),
            new Claim(ClaimTypes.Role, "superuser"),
            new Claim(ClaimTypes.Role, "editor"),
            new Claim("permission", "orders.edit"),
            new Claim("permission", "orders.view"),
            new Claim("department", "sales"));

        var window = Factory().Create(Request(user), "window-key");

        Assert.Equal("window-key", window.WindowKey);
        Assert.Equal("42", window.UserId);
        Assert.Equal("ada", window.UserName);
        Assert.True(window.IsAuthenticated);
        Assert.False(window.IsAnonymous);
        Assert.True(window.IsStaff);
        Assert.True(window.IsSuperuser);
        Assert.Equal(["staff", "superuser", "editor"], window.Roles);
        Assert.Equal(["orders.edit", "orders.view"], window.Permissions);
        Assert.Contains(new WindowClaim("department", "sales"), window.Claims);
        Assert.Contains(new WindowClaim("permission", "orders.edit"), window.Claims);
        Assert.DoesNotContain(window.Claims, c => c.Type == ClaimTypes.Role);
        Assert.Equal("Cookies", window.AuthenticationType);
        Assert.Equal("fr-FR", window.Culture);
        Assert.Equal("Mozilla/5.0 (Test)", window.UserAgent);
    }

    [Fact]
    public void UserWithoutTheRolesIsNeitherStaffNorSuperuser()
    {
        var window = Factory().Create(Request(User(new Claim(ClaimTypes.Name, "bob"), new Claim(ClaimTypes.Role, "editor"))), "k");

        Assert.False(window.IsStaff);
        Assert.False(window.IsSuperuser);
        Assert.Empty(window.Permissions);
    }

    [Fact]
    public void UserIdFallsBackToTheNameWithoutANameIdentifier()
    {
        var window = Factory().Create(Request(User(new Claim(ClaimTypes.Name, "bob"))), "k");

        Assert.Equal("bob", window.UserId);
        Assert.Equal("bob", WindowInfoFactory.UserIdOf(User(new Claim(ClaimTypes.Name, "bob"))));
    }

    public static TheoryData<string, ClaimsPrincipal> Principals() => new()
    {
        { "id and name", User(new Claim(ClaimTypes.NameIdentifier, "42"), new Claim(ClaimTypes.Name, "ada")) },
        { "name only", User(new Claim(ClaimTypes.Name, "bob")) },
        { "id only", User(new Claim(ClaimTypes.NameIdentifier, "7")) },
        { "empty id", User(new Claim(ClaimTypes.NameIdentifier, ""), new Claim(ClaimTypes.Name, "eve")) },
        { "neither", User(new Claim("department", "sales")) },
        { "own name claim type", new ClaimsPrincipal(new ClaimsIdentity([new Claim("name", "carol")], "Bearer", nameType: "name", roleType: "role")) },
        { "anonymous with an id", new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "42")])) },
        { "no identity", new ClaimsPrincipal() },
        { "anonymous first identity", new ClaimsPrincipal([new ClaimsIdentity([new Claim(ClaimTypes.Name, "x")]), new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "9")], "Cookies")]) },
    };

    [Theory]
    [MemberData(nameof(Principals))]
    public void PublishingToAPrincipalAddressesTheUserTopicOfTheWindowsOfItsRequests(string description, ClaimsPrincipal user)
    {
        var serializer = new DefaultTopicSerializer();
        var window = Factory().Create(Request(user), "k");

        var toPrincipal = serializer.Serialize(null, user);

        Assert.Equal(serializer.Serialize(window, Destination.User), toPrincipal);
        Assert.Equal(window.UserId, WindowInfoFactory.UserIdOf(user));
        Assert.True(toPrincipal is null == window.UserId is null, description);
    }

    [Fact]
    public void ConfiguredRoleAndPermissionNamesAreUsed()
    {
        var options = new SwitchboardOptions { StaffRole = "Admins", SuperuserRole = "Root", PermissionClaimType = "scope" };
        var user = User(new Claim(ClaimTypes.Name, "bob"), new Claim(ClaimTypes.Role, "Admins"), new Claim("scope", "orders.edit"), new Claim("permission", "ignored"));

        var window = Factory(options).Create(Request(user), "k");

        Assert.True(window.IsStaff);
        Assert.False(window.IsSuperuser);
        Assert.Equal(["orders.edit"], window.Permissions);
        Assert.False(window.HasPermission("ignored"));
    }

    [Fact]
    public void RolesUnderTheIdentitysOwnRoleClaimTypeAreFound()
    {
        var identity = new ClaimsIdentity([new Claim("name", "bob"), new Claim("role", "staff")], "Bearer", nameType: "name", roleType: "role");

        var window = Factory().Create(Request(new ClaimsPrincipal(identity)), "k");

        Assert.Equal("bob", window.UserName);
        Assert.True(window.IsStaff);
        Assert.True(window.ToClaimsPrincipal().IsInRole("staff"));
    }

    [Fact]
    public void AnonymousRequestKeepsOnlyWindowCultureAndUserAgent()
    {
        var window = Factory().Create(Request(culture: "de-DE", userAgent: "curl/8"), "k");

        Assert.Equal("k", window.WindowKey);
        Assert.False(window.IsAuthenticated);
        Assert.Null(window.UserId);
        Assert.Null(window.UserName);
        Assert.Empty(window.Roles);
        Assert.Empty(window.Claims);
        Assert.Equal("de-DE", window.Culture);
        Assert.Equal("curl/8", window.UserAgent);
    }

    [Fact]
    public void WithoutLocalizationTheCurrentUiCultureIsUsed()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("it-IT");
        try
        {
            Assert.Equal("it-IT", Factory().Create(new DefaultHttpContext(), null).Culture);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void SnapshotRebuildsAnEquivalentPrincipal()
    {
        var user = User(new Claim(ClaimTypes.NameIdentifier, "42"), new Claim(ClaimTypes.Name, "ada"), new Claim(ClaimTypes.Role, "editor"), new Claim("department", "sales"));

        var rebuilt = Factory().Create(Request(user), "k").ToClaimsPrincipal();

        Assert.True(rebuilt.Identity?.IsAuthenticated);
        Assert.Equal("Cookies", rebuilt.Identity?.AuthenticationType);
        Assert.Equal("ada", rebuilt.Identity?.Name);
        Assert.Equal("42", rebuilt.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.True(rebuilt.IsInRole("editor"));
        Assert.True(rebuilt.HasClaim("department", "sales"));
        Assert.Single(rebuilt.FindAll(ClaimTypes.NameIdentifier));
    }
}
