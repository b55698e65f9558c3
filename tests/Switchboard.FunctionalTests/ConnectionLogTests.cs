using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Switchboard.FunctionalTests;

/// <summary>
/// A window connection's log events are a public contract: each keeps its id, name and category (the connection
/// handler's) whichever part of the connection logs it — the handshake, the frame dispatcher or the receive loop.
/// </summary>
public sealed class ConnectionLogTests
{
    private const string Category = "Switchboard.Internal.Connections.WindowConnectionHandler";

    [Fact]
    public async Task ConnectionEventsKeepTheirIdsNamesAndCategory()
    {
        var logs = new FakeLogCollector();
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Services = services =>
            {
                services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs));
                services.Configure<LoggerFilterOptions>(f => f.MinLevel = LogLevel.Debug);
            };
            o.Switchboard = s => (s.MaxFrameBytes, s.MaxKwargsBytes) = (8192, 4096);
        });
        await using var browser = new TestBrowser();

        var forged = await browser.ConnectAsync(host);
        await forged.SendTextAsync("""{"type":"connect","v":1,"token":"CfDJ8forgedforgedforged"}""");
        Assert.Equal(4001, await forged.WaitForCloseAsync());

        var window = await browser.OpenWindowAsync(host);
        await window.SendTextAsync("not json");
        await window.NextFrameAsync(f => f.Type() == "error", "error");
        await window.ResumeAsync(new Dictionary<string, Pos>(), id: 1);
        await window.SendTextAsync(new string(' ', 9000));
        Assert.Equal(1009, await window.WaitForCloseAsync());

        await AssertLoggedAsync(logs, 1004, "BadWindowToken"); // handshake
        await AssertLoggedAsync(logs, 1001, "WindowConnected"); // handshake, after hello
        await AssertLoggedAsync(logs, 1006, "BadFrame"); // frame dispatcher
        await AssertLoggedAsync(logs, 1013, "WindowResumed"); // frame dispatcher (resume frame)
        await AssertLoggedAsync(logs, 1007, "FrameTooLarge"); // receive loop
        await AssertLoggedAsync(logs, 1002, "WindowDisconnected"); // handler, once the socket is done
    }

    private static async Task AssertLoggedAsync(FakeLogCollector logs, int id, string name)
    {
        // Bounded wait: the disconnect is logged after the close handshake, on the server's side of the socket. Ids are
        // only unique within Switchboard (ASP.NET Core's routing has a 1001 too): the category tells them apart.
        using var timeout = new CancellationTokenSource(TestTimeouts.Frame);
        while (!logs.GetSnapshot().Any(r => r.Id.Id == id && r.Category == Category))
        {
            var others = string.Join(", ", logs.GetSnapshot().Where(r => r.Id.Id == id).Select(r => $"{r.Id.Name} in {r.Category}").Distinct());
            Assert.False(timeout.IsCancellationRequested, $"Event {id} ({name}) was not logged under {Category} (seen with that id: {others}).");
            await Task.Delay(10);
        }
        Assert.All(logs.GetSnapshot().Where(r => r.Id.Id == id && r.Category == Category), r => Assert.Equal(name, r.Id.Name));
        Assert.All(logs.GetSnapshot().Where(r => r.Id.Name == name), r => Assert.Equal(Category, r.Category));
    }
}
