using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.Windows;

namespace Switchboard.Tests.Windows;

public sealed class WindowTokenServiceTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
    private readonly IDataProtectionProvider _protection = new EphemeralDataProtectionProvider();

    private WindowTokenService Service(IDataProtectionProvider? protection = null) =>
        new(protection ?? _protection, Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions { WindowTokenLifetime = Lifetime }), _time);

    [Fact]
    public void TokenRoundTripsWindowKeyAndUser()
    {
        var tokens = Service();

        Assert.True(tokens.TryRead(tokens.Create("window-key", "42"), out var key, out var user));

        Assert.Equal("window-key", key);
        Assert.Equal("42", user);
    }

    [Fact]
    public void AnonymousTokenHasNoUser()
    {
        var tokens = Service();

        Assert.True(tokens.TryRead(tokens.Create("window-key", null), out var key, out var user));

        Assert.Equal("window-key", key);
        Assert.Null(user);
    }

    [Theory]
    [InlineData("a|b")]
    [InlineData("|")]
    [InlineData("||9999999999|x")]
    [InlineData("caf\u00e9 \u4e16\u754c")]
    public void UserIdWithSeparatorsSurvives(string userId)
    {
        var tokens = Service();

        Assert.True(tokens.TryRead(tokens.Create("k", userId), out _, out var user));

        Assert.Equal(userId, user);
    }

    [Fact]
    public void TokenSaysWhenItExpires()
    {
        var tokens = Service();

        var token = tokens.Create("window-key", "42", out var expires);

        Assert.Equal(_time.GetUtcNow() + Lifetime, expires);
        Assert.True(tokens.TryRead(token, out _, out _, out var read));
        Assert.Equal(expires, read);
        _time.Advance(Lifetime);
        Assert.False(tokens.TryRead(token, out _, out _, out _));
    }

    [Fact]
    public void TokenIsValidUntilItsLifetimeEnds()
    {
        var tokens = Service();
        var token = tokens.Create("k", "42");

        _time.Advance(Lifetime - TimeSpan.FromSeconds(1));
        Assert.True(tokens.TryRead(token, out _, out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(tokens.TryRead(token, out var key, out var user));
        Assert.Equal(string.Empty, key);
        Assert.Null(user);
    }

    [Fact]
    public void CorruptedTokenIsRefused()
    {
        var tokens = Service();
        var token = tokens.Create("k", "42");
        var chars = token.ToCharArray();
        var middle = chars.Length / 2;
        chars[middle] = chars[middle] == 'A' ? 'B' : 'A';

        Assert.False(tokens.TryRead(new string(chars), out _, out _));
        Assert.False(tokens.TryRead(token[..^4], out _, out _));
        Assert.False(tokens.TryRead(token + "AAAA", out _, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAA")]
    public void ForgedTokenIsRefused(string? token)
    {
        Assert.False(Service().TryRead(token, out _, out _));
    }

    [Fact]
    public void TokenFromAnotherKeyRingIsRefused()
    {
        var other = Service(new EphemeralDataProtectionProvider());

        Assert.False(Service().TryRead(other.Create("k", "42"), out _, out _));
    }

    [Fact]
    public void DataProtectedForAnotherPurposeIsRefused()
    {
        var forged = _protection.CreateProtector("SomethingElse").Protect("k|99999999999|42");

        Assert.False(Service().TryRead(forged, out _, out _));
    }

    [Fact]
    public void ProtectedPayloadWithoutAValidExpiryIsRefused()
    {
        var protector = _protection.CreateProtector("Switchboard.WindowToken.v2");
        var tokens = Service();

        Assert.True(tokens.TryRead(protector.Protect("""{"k":"k","e":99999999999,"u":"42"}"""), out _, out _));
        Assert.False(tokens.TryRead(protector.Protect("""{"k":"k","e":"soon","u":"42"}"""), out _, out _));
        Assert.False(tokens.TryRead(protector.Protect("""{"k":"k","e":-5,"u":"42"}"""), out _, out _));
        Assert.False(tokens.TryRead(protector.Protect("""{"k":"k","u":"42"}"""), out _, out _));
        Assert.False(tokens.TryRead(protector.Protect("""{"k":"","e":99999999999,"u":"42"}"""), out _, out _));
        Assert.False(tokens.TryRead(protector.Protect("""{"k":"k","e":99999999999,"u":42}"""), out _, out _));
        Assert.False(tokens.TryRead(protector.Protect("""{"k":"k","e":99999999999,"x":[1]}"""), out _, out _));
        Assert.False(tokens.TryRead(protector.Protect("k|99999999999|42"), out _, out _));
        Assert.False(tokens.TryRead(protector.Protect("""["k",99999999999]"""), out _, out _));
    }

    [Fact]
    public void TokenOfTheFirstFormatIsRefused()
    {
        var v1 = _protection.CreateProtector("Switchboard.WindowToken.v1").Protect("k|99999999999|42");

        Assert.False(Service().TryRead(v1, out _, out _));
    }

    [Fact]
    public void ExtensionsRoundTripThroughTheToken()
    {
        var tokens = Service();
        var extensions = new Dictionary<string, JsonElement>
        {
            ["tenant"] = JsonSerializer.SerializeToElement("acme|caf\u00e9 \u4e16"),
            ["flags"] = JsonSerializer.SerializeToElement(new { beta = true, level = 3 }),
        };

        var token = tokens.Create("k", "a|b", extensions, out var expires);

        Assert.True(tokens.TryRead(token, out var read));
        Assert.Equal(("k", "a|b", expires), (read.WindowKey, read.UserId, read.ExpiresAt));
        Assert.Equal(["flags", "tenant"], read.Extensions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("acme|caf\u00e9 \u4e16", read.Extensions["tenant"].GetString());
        Assert.Equal("""{"beta":true,"level":3}""", read.Extensions["flags"].GetRawText());
    }

    [Fact]
    public void TokenWithoutExtensionsReadsAsEmpty()
    {
        var tokens = Service();

        Assert.True(tokens.TryRead(tokens.Create("k", null), out var read));

        Assert.Empty(read.Extensions);
        Assert.Null(read.UserId);
    }

    [Fact]
    public void TamperingWithATokenCarryingExtensionsIsRefused()
    {
        var tokens = Service();
        var token = tokens.Create("k", "42", new Dictionary<string, JsonElement> { ["tenant"] = JsonSerializer.SerializeToElement("acme") }, out _);

        for (var i = 0; i < token.Length; i += 7)
        {
            var chars = token.ToCharArray();
            chars[i] = chars[i] == 'A' ? 'B' : 'A';
            Assert.False(tokens.TryRead(new string(chars), out _), $"a token altered at {i} was accepted");
        }
    }

    [Fact]
    public void LargestExtensionsWithALongUserIdStayUnderTheTokenLimit()
    {
        var tokens = Service();
        // The largest extensions the option allows (2048 bytes of JSON) and a 256-character user id (an e-mail address).
        var extensions = new Dictionary<string, JsonElement> { ["big"] = JsonSerializer.SerializeToElement(new string('x', 2048 - 10)) };

        var token = tokens.Create(WindowKeys.New(), new string('u', 256), extensions, out _);

        Assert.InRange(token.Length, 2048, WindowTokenService.MaxTokenChars);
        Assert.True(tokens.TryRead(token, out var read));
        Assert.Equal(2048 - 10, read.Extensions["big"].GetString()!.Length);
    }

    [Fact]
    public void TokenThatWouldExceedTheLimitIsNotMadeAndTheMessageHoldsNoValue()
    {
        var tokens = Service();
        var extensions = new Dictionary<string, JsonElement> { ["big"] = JsonSerializer.SerializeToElement(new string('x', 2000)) };

        var e = Assert.Throws<InvalidOperationException>(() => tokens.Create("k", new string('u', 1200), extensions, out _));

        Assert.Contains("over 4096", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxx", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("uuuu", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedTokenIsRefusedWithoutDecrypting()
    {
        Assert.False(Service().TryRead(new string('A', 5000), out _, out _));
    }
}
