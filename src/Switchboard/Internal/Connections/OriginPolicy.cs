using Microsoft.AspNetCore.Http;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Cross-site WebSocket hijacking protection: a browser always sends Origin, so a page of another site cannot
/// open a window's socket with the user's cookies. Clients without Origin (not browsers) are allowed.
/// </summary>
internal static class OriginPolicy
{
    public static bool IsAllowed(HttpRequest request, IList<string> allowedOrigins)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false;
        }
        var own = request.Scheme + "://" + request.Host.Value;
        if (string.Equals(origin.TrimEnd('/'), own, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        var normalized = uri.GetLeftPart(UriPartial.Authority);
        foreach (var allowed in allowedOrigins)
        {
            if (allowed == "*" || string.Equals(allowed.TrimEnd('/'), normalized, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
