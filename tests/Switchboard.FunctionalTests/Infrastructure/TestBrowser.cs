namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// One browser profile: a cookie jar shared by its page requests and its WebSockets, like tabs of one browser.
/// Windows are the test client's <see cref="TestWindow"/>; disposing the browser closes every window it opened.
/// </summary>
internal sealed class TestBrowser : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly List<TestWindow> _windows = [];

    public TestBrowser()
    {
        _http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            Timeout = TestTimeouts.Frame,
        };
    }

    /// <summary>The browser's cookies (login cookies apply to every host on 127.0.0.1, whatever the port).</summary>
    public CookieContainer Cookies { get; } = new();

    /// <summary>Plain HTTP requests with this browser's cookies.</summary>
    public HttpClient Http => _http;

    /// <summary>Signs in on <paramref name="host"/> as <paramref name="name"/> with <paramref name="roles"/>.</summary>
    public Task LoginAsync(SwitchboardHost host, string name, params string[] roles) => LoginAsync(host, name, roles, []);

    /// <summary>Signs in with roles and permissions (claims of type <c>permission</c>).</summary>
    public async Task LoginAsync(SwitchboardHost host, string name, string[] roles, string[] permissions)
    {
        var uri = new Uri(host.BaseAddress,
            $"login?name={Uri.EscapeDataString(name)}&roles={Uri.EscapeDataString(string.Join(',', roles))}&permissions={Uri.EscapeDataString(string.Join(',', permissions))}");
        using var response = await _http.GetAsync(uri);
        response.EnsureSuccessStatusCode();
    }

    public async Task LogoutAsync(SwitchboardHost host)
    {
        using var response = await _http.GetAsync(new Uri(host.BaseAddress, "logout"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>GETs <c>/page</c> and returns the window token of its init element.</summary>
    public Task<string> LoadPageAsync(SwitchboardHost host, params string[] topics) =>
        LoadTokenAsync(host, topics.Length == 0 ? "page" : "page?topics=" + Uri.EscapeDataString(string.Join(',', topics)));

    /// <summary>GETs <paramref name="pathAndQuery"/> (an HTML page with the init element) and returns its window token.</summary>
    public async Task<string> LoadTokenAsync(SwitchboardHost host, string pathAndQuery)
    {
        var init = await PageInit.LoadAsync(_http, new Uri(host.BaseAddress, pathAndQuery));
        Assert.Equal(1, init.Version);
        Assert.Equal(host.PathPrefix + "/ws", init.Url);
        Assert.Equal(host.WebSocketUri, init.SocketUri);
        return init.Token;
    }

    /// <summary>The test client's settings for this browser: its cookies, an Origin header when given, the test timeout.</summary>
    public TestWindowOptions WindowOptions(string? origin = null) => new()
    {
        Cookies = Cookies,
        Origin = origin,
        Timeout = TestTimeouts.Frame,
        ConfigureSocket = o => o.CollectHttpResponseDetails = true,
    };

    /// <summary>A <see cref="ClientWebSocket"/> carrying this browser's cookies, and an Origin header when given.</summary>
    public ClientWebSocket CreateSocket(string? origin = null) => WindowOptions(origin).CreateSocket();

    /// <summary>Opens a WebSocket to <paramref name="host"/> without sending <c>connect</c>.</summary>
    public async Task<TestWindow> ConnectAsync(SwitchboardHost host, string? origin = null)
    {
        var window = await TestWindow.OpenSocketAsync(host.WebSocketUri, WindowOptions(origin));
        lock (_windows)
        {
            _windows.Add(window);
        }
        return window;
    }

    /// <summary>
    /// Loads a page from <paramref name="pageHost"/> (choosing <paramref name="topics"/>), then connects its window to
    /// <paramref name="socketHost"/> (default: the same host) and waits for <c>hello</c>.
    /// </summary>
    public async Task<TestWindow> OpenWindowAsync(SwitchboardHost pageHost, string[]? topics = null, SwitchboardHost? socketHost = null, string? origin = null)
    {
        var token = await LoadPageAsync(pageHost, topics ?? []);
        var window = await ConnectAsync(socketHost ?? pageHost, origin);
        await window.HandshakeAsync(token);
        return window;
    }

    public async ValueTask DisposeAsync()
    {
        TestWindow[] windows;
        lock (_windows)
        {
            windows = [.. _windows];
        }
        foreach (var window in windows)
        {
            await window.DisposeAsync();
        }
        _http.Dispose();
    }
}
