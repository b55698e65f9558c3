using Microsoft.AspNetCore.Builder;

namespace Switchboard.FunctionalTests;

/// <summary>
/// MapSwitchboardTypeScript serves the generated .d.ts over real Kestrel: the text of SwitchboardTypeScript.Generate,
/// signals mapped after the endpoint included (it is made on the first request). docs/typescript.md.
/// </summary>
public sealed class TypeScriptEndpointTests
{
    private sealed record Line(string Text, int Count = 1);

    [Fact]
    public async Task ServesTheGeneratedDeclarations()
    {
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Signals = b => b.DeclareBrowserSignal<Line>("tests.ts.line");
            o.Endpoints = app =>
            {
                app.MapSwitchboardTypeScript("/types/signals.d.ts");
                app.MapSignal("tests.ts.post", (WindowInfo window, string text, int count = 1) => { }).AllowEveryone();
            };
        });
        await using var browser = new TestBrowser();

        using var response = await browser.Http.GetAsync(new Uri(host.BaseAddress, "types/signals.d.ts")).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(SwitchboardTypeScript.Generate(host.Services), text);
        Assert.Contains("    'tests.ts.post': { text: string; count?: number };\n", text, StringComparison.Ordinal);
        Assert.Contains("    'tests.ts.line': Line;\n", text, StringComparison.Ordinal);
    }
}
