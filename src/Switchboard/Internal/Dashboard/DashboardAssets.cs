using System.Reflection;

namespace Switchboard.Internal.Dashboard;

/// <summary>
/// The page, its style and its script, embedded in the assembly (Internal/Dashboard/Assets): served inline in one
/// response, so the dashboard needs no CDN, no static files and works offline.
/// </summary>
internal static class DashboardAssets
{
    private static readonly Lazy<string> Template = new(() => Read("dashboard.html")
        .Replace("{{css}}", Read("dashboard.css"), StringComparison.Ordinal)
        .Replace("{{js}}", Read("dashboard.js"), StringComparison.Ordinal));

    /// <summary>The page with its placeholders filled; every value is HTML-encoded by the caller.</summary>
    public static string Render(string basePath, string scriptPath, string antiforgeryToken, string initHtml) => Template.Value
        .Replace("{{df}}", scriptPath, StringComparison.Ordinal)
        .Replace("{{base}}", basePath, StringComparison.Ordinal)
        .Replace("{{antiforgery}}", antiforgeryToken, StringComparison.Ordinal)
        .Replace("{{init}}", initHtml, StringComparison.Ordinal);

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Switchboard.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard's {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
