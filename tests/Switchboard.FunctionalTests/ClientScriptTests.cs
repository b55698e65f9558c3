using System.Net.Http.Headers;

namespace Switchboard.FunctionalTests;

/// <summary>
/// MapSwitchboard serves the embedded JS client with revalidation by ETag: df.js is the parts of
/// clients/js/src/parts.json in order, df.mjs the module entry importing that one script.
/// </summary>
public sealed class ClientScriptTests : IAsyncLifetime
{
    private SwitchboardHost _host = null!;
    private TestBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await SwitchboardHost.StartAsync();
        _browser = new TestBrowser();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("switchboard/df.js", "globalThis")]
    [InlineData("switchboard/df.mjs", "export ")]
    public async Task ScriptIsServedAsJavaScriptWithAnETag(string path, string expectedText)
    {
        using var response = await _browser.Http.GetAsync(new Uri(_host.BaseAddress, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.NotNull(response.Headers.ETag);
        Assert.Contains("nosniff", response.Headers.GetValues("X-Content-Type-Options"));
        Assert.True(response.Headers.CacheControl?.NoCache, "Browsers must revalidate, so a new version is picked up.");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(expectedText, body, StringComparison.Ordinal);
        Assert.Equal(response.Content.Headers.ContentLength, System.Text.Encoding.UTF8.GetByteCount(body));
    }

    [Theory]
    [InlineData("switchboard/df-builtins.js")]
    [InlineData("switchboard/df-socket.js")]
    public async Task PartsOfTheClientAreNotServedOneByOne(string path)
    {
        // A part alone does nothing (it needs the parts before it): df.js is the one script, with the built-ins.
        using var response = await _browser.Http.GetAsync(new Uri(_host.BaseAddress, path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("switchboard/df.js")]
    [InlineData("switchboard/df.mjs")]
    public async Task MatchingIfNoneMatchGets304WithoutBody(string path)
    {
        using var first = await _browser.Http.GetAsync(new Uri(_host.BaseAddress, path));
        var etag = first.Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.BaseAddress, path));
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await _browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(etag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task StaleIfNoneMatchGetsTheScript()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_host.BaseAddress, "switchboard/df.js"));
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0000000000000000\""));

        using var response = await _browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task EachScriptHasItsOwnETag()
    {
        using var js = await _browser.Http.GetAsync(new Uri(_host.BaseAddress, "switchboard/df.js"));
        using var mjs = await _browser.Http.GetAsync(new Uri(_host.BaseAddress, "switchboard/df.mjs"));

        Assert.NotEqual(js.Headers.ETag, mjs.Headers.ETag);
    }

    [Fact]
    public async Task DfJsIsThePartsOfPartsJsonJoinedInOrder()
    {
        var src = ClientSource();
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(src, "parts.json")));
        var parts = manifest.RootElement.EnumerateArray().Select(part => Path.Combine(src, part.GetString()!));
        var expected = string.Join('\n', await Task.WhenAll(parts.Select(part => File.ReadAllTextAsync(part))));

        var served = await _browser.Http.GetStringAsync(new Uri(_host.BaseAddress, "switchboard/df.js"));

        Assert.Equal(expected, served);
    }

    [Fact]
    public async Task DfMjsImportsTheOneScriptInsteadOfEachPart()
    {
        var source = (await File.ReadAllTextAsync(Path.Combine(ClientSource(), "df.mjs"))).Split('\n');

        var served = (await _browser.Http.GetStringAsync(new Uri(_host.BaseAddress, "switchboard/df.mjs"))).Split('\n');

        static bool IsImport(string line) => line.StartsWith("import ", StringComparison.Ordinal);
        Assert.True(source.Count(IsImport) > 1, "clients/js/src/df.mjs imports each part");
        Assert.Equal(["import './df.js';"], served.Where(IsImport));
        Assert.Equal(source.Where(line => !IsImport(line)), served.Where(line => !IsImport(line)));
    }

    [Fact]
    public async Task UnknownScriptIs404()
    {
        using var response = await _browser.Http.GetAsync(new Uri(_host.BaseAddress, "switchboard/nope.js"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string ClientSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
            {
                return Path.Combine(dir.FullName, "clients", "js", "src");
            }
        }
        throw new InvalidOperationException("Switchboard.slnx not found above " + AppContext.BaseDirectory);
    }
}
