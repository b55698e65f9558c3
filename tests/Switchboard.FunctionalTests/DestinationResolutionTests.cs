using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Addressing a window from its key alone, and calls whose WINDOW or USER destination addresses nobody: a warning with
/// the signal name (an exception with DetailedErrors), never a silent drop. Topic lists of any sequence type.
/// </summary>
public sealed class DestinationResolutionTests
{
    [Fact]
    public async Task AWindowIsReachedFromItsKeyAloneOutsideItsRequest()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);
        var other = await browser.OpenWindowAsync(host);
        var key = host.ReadToken(window.Token!).WindowKey!;

        await host.Signals.CallAsync(WindowInfo.ForKey(key), "test.by_key", to: [Destination.Window], kwargs: new { n = 1 });

        var frame = await window.NextSignalAsync("test.by_key");
        Assert.Equal(1, frame.Opts().GetProperty("n").GetInt32());
        await other.PingAsync();
        Assert.DoesNotContain(other.Pending, f => f.IsSignal("test.by_key"));
    }

    [Fact]
    public void ForKeyRefusesAnEmptyKey()
    {
        Assert.ThrowsAny<ArgumentException>(() => WindowInfo.ForKey(""));
        Assert.ThrowsAny<ArgumentException>(() => WindowInfo.ForKey(null!));
    }

    [Fact]
    public async Task WindowWithoutAWindowLogsAWarningNamingTheSignal()
    {
        var logs = new FakeLogCollector();
        await using var host = await StartAsync(logs);

        await host.Signals.CallAsync(null, "test.nobody", to: [Destination.Window]);
        await host.Signals.CallAsync(WindowInfo.None, "test.nobody.default");

        var warnings = logs.GetSnapshot().Where(r => r.Id.Name == "UnresolvedDestination").ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, r => Assert.Equal(LogLevel.Warning, r.Level));
        Assert.Contains(warnings, r => r.Message.Contains("test.nobody", StringComparison.Ordinal) && r.Message.Contains("WINDOW", StringComparison.Ordinal));
        Assert.Contains(warnings, r => r.Message.Contains("test.nobody.default", StringComparison.Ordinal) && r.Message.Contains("USER", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UserOfAnAnonymousWindowLogsAWarningAndOtherDestinationsStillArrive()
    {
        var logs = new FakeLogCollector();
        await using var host = await StartAsync(logs);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);
        var info = host.ReadToken(window.Token!);

        await host.Signals.CallAsync(info, "test.mixed", to: [Destination.User, Destination.Window]);

        await window.NextSignalAsync("test.mixed");
        var warning = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "UnresolvedDestination");
        Assert.Contains("anonymous", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolvedDestinationsLogNothing()
    {
        var logs = new FakeLogCollector();
        await using var host = await StartAsync(logs);
        await using var browser = new TestBrowser();
        await browser.LoginAsync(host, "alice");
        var window = await browser.OpenWindowAsync(host);

        await host.Signals.CallAsync(host.ReadToken(window.Token!), "test.fine");

        await window.NextSignalAsync("test.fine");
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Name == "UnresolvedDestination");
    }

    [Fact]
    public async Task WithDetailedErrorsAnUnresolvedDestinationThrows()
    {
        await using var host = await StartAsync(detailedErrors: true);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Signals.CallAsync(null, "test.nobody", to: [Destination.Window]));

        Assert.Contains("test.nobody", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopicsGivenAsAListOfStringsAreEachATopic()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await OpenAsync(browser, host, "page/list");

        await host.Signals.CallAsync(null, "test.room", to: ["room:b"]);

        await window.NextSignalAsync("test.room");
    }

    [Fact]
    public async Task TopicsGivenToTheAsyncFormAsASequenceAreEachATopic()
    {
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await OpenAsync(browser, host, "page/async");

        await host.Signals.CallAsync(null, "test.room", to: ["room:d"]);

        await window.NextSignalAsync("test.room");
    }

    [Fact]
    public async Task ACollectionOfValueTypesIsRefusedWithAClearMessage()
    {
        await using var host = await StartAsync();
        using var client = new HttpClient { BaseAddress = host.BaseAddress };

        var response = await client.GetStringAsync("/page/ints");

        Assert.Contains("Cast<object>", response, StringComparison.Ordinal);
    }

    private static async Task<TestWindow> OpenAsync(TestBrowser browser, SwitchboardHost host, string path)
    {
        var token = await browser.LoadTokenAsync(host, path);
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);
        return window;
    }

    private static Task<SwitchboardHost> StartAsync(FakeLogCollector? logs = null, bool detailedErrors = false) =>
        SwitchboardHost.StartAsync(o =>
        {
            o.Switchboard = s => s.DetailedErrors = detailedErrors;
            if (logs is not null)
            {
                o.Services = services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs));
            }
            o.Endpoints = app =>
            {
                app.MapGet("/page/list", (HttpContext http) =>
                {
                    http.SetWebSocketTopics(new List<string> { "room:a", "room:b" });
                    return Results.Content(http.SwitchboardInitHtml(), "text/html");
                });
                app.MapGet("/page/async", async (HttpContext http) =>
                {
                    await http.SetWebSocketTopicsAsync(new[] { "room:c", "room:d" }.Where(_ => true));
                    return Results.Content(http.SwitchboardInitHtml(), "text/html");
                });
                app.MapGet("/page/ints", (HttpContext http) =>
                {
                    try
                    {
                        http.SetWebSocketTopics(new List<int> { 1, 2 });
                        return Results.Text("accepted");
                    }
                    catch (ArgumentException e)
                    {
                        return Results.Text(e.Message);
                    }
                });
            };
        });
}
