using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Testing.Tests;

/// <summary>A browser calls a signal and invokes a function that were declared without names, by their default names.</summary>
public sealed class DefaultNameTests
{
    [Fact]
    public async Task ABrowserCallsAndInvokesHandlersByTheNamesTheirMethodsGiveThem()
    {
        await using var host = await SwitchboardTestHost.StartAsync(
            services => services.AddSwitchboard().AddSignalsFrom(typeof(NamedAfterMethods).Assembly));
        var window = host.NewWindow();

        (await host.CallFromBrowserAsync(window, "NamedAfterMethods.Greet", new { name = "ada" })).EnsureAccepted();
        var sum = await host.InvokeFromBrowserAsync(window, "NamedAfterMethods.Add", new { a = 2, b = 3 });
        await host.WhenIdleAsync();

        Assert.Equal("Hello, ada", host.Sent.To(window).Single("tests.greeted").Opts.GetProperty("text").GetString());
        Assert.Equal(5, sum.GetInt32());
        (await host.CallFromBrowserAsync(window, "NamedAfterMethods.GreetAsync", new { name = "ada" })).EnsureRefused("unknown_signal");
    }
}
