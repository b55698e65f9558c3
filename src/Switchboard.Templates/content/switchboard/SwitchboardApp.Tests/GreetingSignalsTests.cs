using Microsoft.Extensions.Configuration;
using Switchboard.Testing;

namespace SwitchboardApp.Tests;

/// <summary>
/// The handler in memory, without a server: SwitchboardTestHost runs the app's own registration, calls a signal as a
/// browser does (permissions checked), runs the queued jobs, and captures every message sent to windows.
/// </summary>
public sealed class GreetingSignalsTests
{
    private static Task<SwitchboardTestHost> StartAsync() =>
        SwitchboardTestHost.StartAsync(services => services.AddAppSwitchboard(new ConfigurationBuilder().Build()));

    [Fact]
    public async Task GreetAnswersTheCallingWindowOnly()
    {
        await using var host = await StartAsync();
        var ada = host.NewWindow();
        var other = host.NewWindow();

        var answer = await host.CallFromBrowserAsync(ada, "app.greet", new { name = "Ada" });
        await host.WhenIdleAsync();   // the workers ran every job the call queued

        Assert.True(answer.Accepted);
        var greeted = host.Sent.To(ada).Single("app.greeted");
        Assert.Equal("Hello, Ada!", greeted.Opts.GetProperty("text").GetString());
        host.Sent.To(other).AssertNothingSent();
    }

    [Fact]
    public async Task AnEmptyNameIsAnErrorForTheWindowNotAGreeting()
    {
        await using var host = await StartAsync();
        var window = host.NewWindow();

        await host.CallFromBrowserAsync(window, "app.greet", new { name = " " });
        await host.WhenIdleAsync();

        host.Sent.To(window).AssertNotSent("app.greeted");
        var error = host.Sent.To(window).Errors.Single();
        Assert.Equal("A name has 1 to 100 characters.", error.Frame.Str("message"));
    }
}
