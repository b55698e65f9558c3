using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Switchboard.Internal.Windows;

/// <summary>
/// Signs and checks window tokens: "window key | expiry | user id" (the user id last, so it may contain the separator), protected with ASP.NET Core Data Protection
/// (share its key ring between nodes, as cookie authentication already requires). Expiry uses the injected
/// <see cref="TimeProvider"/> so it can be tested.
/// </summary>
internal sealed class WindowTokenService
{
    private const char Separator = '|';
    private readonly IDataProtector _protector;
    private readonly IOptions<SwitchboardOptions> _options;
    private readonly TimeProvider _time;

    public WindowTokenService(IDataProtectionProvider provider, IOptions<SwitchboardOptions> options, TimeProvider time)
    {
        _protector = provider.CreateProtector("Switchboard.WindowToken.v1");
        _options = options;
        _time = time;
    }

    public string Create(string windowKey, string? userId) => Create(windowKey, userId, out _);

    /// <summary>A new token for <paramref name="windowKey"/> and <paramref name="userId"/>, valid until <paramref name="expires"/> (whole seconds).</summary>
    public string Create(string windowKey, string? userId, out DateTimeOffset expires)
    {
        var seconds = (_time.GetUtcNow() + _options.Value.WindowTokenLifetime).ToUnixTimeSeconds();
        expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return _protector.Protect(string.Join(Separator, windowKey, seconds.ToString(CultureInfo.InvariantCulture), userId ?? string.Empty));
    }

    /// <summary>Reads a token; false when it is forged, corrupted or expired.</summary>
    public bool TryRead(string? token, out string windowKey, out string? userId) => TryRead(token, out windowKey, out userId, out _);

    /// <summary>Reads a token and when it expires (a connected window is sent a new one before then); false when it is forged, corrupted or expired.</summary>
    public bool TryRead(string? token, out string windowKey, out string? userId, out DateTimeOffset expiresAt)
    {
        windowKey = string.Empty;
        userId = null;
        expiresAt = default;
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return false;
        }
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
        var parts = payload.Split(Separator, 3);
        if (parts.Length != 3 || parts[0].Length == 0
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || _time.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return false;
        }
        windowKey = parts[0];
        userId = parts[2].Length == 0 ? null : parts[2];
        expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        return true;
    }
}
