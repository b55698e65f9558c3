using Microsoft.AspNetCore.Mvc.Testing;
using Switchboard.Testing;

namespace SwitchboardApp.Tests;

/// <summary>
/// The whole app on real Kestrel (port 0): TestWindow opens the page, connects over a real WebSocket with the page's
/// token as df.js does, calls the signal and awaits the browser signal the handler sends back.
/// </summary>
public sealed class PageTests : IAsyncLifetime
{
    private readonly WebApplicationFactory<Program> _factory = new();

    public Task InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task ThePageCallsGreetAndReceivesTheGreeting()
    {
        using var client = _factory.CreateClient();
        await using var window = await TestWindow.OpenPageAsync(new Uri(client.BaseAddress!, "/"));

        var answer = await window.CallAsync("app.greet", new { name = "Ada" });

        Assert.True(answer.Accepted);
        var greeted = await window.NextSignalAsync("app.greeted");
        Assert.Equal("Hello, Ada!", greeted.Opts().Str("text"));
    }
}
