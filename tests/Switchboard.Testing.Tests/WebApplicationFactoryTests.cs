using Microsoft.AspNetCore.Mvc.Testing;

namespace Switchboard.Testing.Tests;

/// <summary>
/// The whole app (the demo's Program) started by WebApplicationFactory on real Kestrel, and a TestWindow that opens its
/// page and speaks the protocol over a real WebSocket, as a browser does.
/// </summary>
public sealed class WebApplicationFactoryTests : IAsyncLifetime
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
    public async Task AWindowCallsASignalAndGetsTheBrowserSignalItCauses()
    {
        using var client = _factory.CreateClient();
        var options = new TestWindowOptions();
        await using var ada = await TestWindow.OpenPageAsync(new Uri(client.BaseAddress!, "/chat/lobby"), options);
        await using var bob = await TestWindow.OpenPageAsync(new Uri(client.BaseAddress!, "/chat/lobby"), options);

        var answer = await ada.CallAsync("demo.chat.post", new { room = "lobby", text = "hi" });

        Assert.True(answer.Accepted);
        var message = await bob.NextSignalAsync("demo.chat.message", opts => opts.Str("text") == "hi");
        Assert.Equal("lobby", message.Opts().Str("room"));
        await ada.NextSignalAsync("demo.chat.message");
    }

    [Fact]
    public async Task ARefusedCallIsAnsweredRefused()
    {
        using var client = _factory.CreateClient();
        await using var window = await TestWindow.OpenPageAsync(new Uri(client.BaseAddress!, "/"));

        var answer = await window.CallAsync("demo.staff_only");

        Assert.Equal("forbidden", answer.Code);
        Assert.DoesNotContain("demo.staff_only", window.HelloSignals);
    }
}
