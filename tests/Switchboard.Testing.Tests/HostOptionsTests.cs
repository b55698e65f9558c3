using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Switchboard.Testing.Tests;

/// <summary>The host takes the app's registration as it is, with the fake clock and the test's options on top.</summary>
public sealed class HostOptionsTests
{
    [Fact]
    public async Task TheTestsSwitchboardOptionsWinOverTheApps()
    {
        await using var host = await SwitchboardTestHost.StartAsync(
            services => services.AddSwitchboard(o => o.MaxKwargsBytes = 100_000).MapSignal("app.big", (WindowInfo w, string text) => { }).AllowEveryone(),
            o => o.Switchboard = s => s.MaxKwargsBytes = 64);
        var window = host.NewWindow();

        var refused = await host.CallFromBrowserAsync(window, "app.big", new { text = new string('x', 100) });

        Assert.Equal(64, host.Services.GetRequiredService<IOptions<SwitchboardOptions>>().Value.MaxKwargsBytes);
        Assert.Equal("kwargs_too_large", refused.Code);
    }

    [Fact]
    public async Task TheFakeClockIsTheAppsClockEvenWhenTheAppRegisteredOne()
    {
        await using var host = await SwitchboardTestHost.StartAsync(services =>
        {
            services.AddSingleton(TimeProvider.System);
            services.AddSwitchboard();
        });

        Assert.Same(host.Time, host.Services.GetRequiredService<TimeProvider>());
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), host.Time.GetUtcNow());
    }

    [Fact]
    public async Task ARegistrationWithoutSwitchboardFailsClearly()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => SwitchboardTestHost.StartAsync(_ => { }));

        Assert.Contains("AddSwitchboard", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadHandlerFailsTheStartAsItFailsTheApps()
    {
        // A handler without a WindowInfo first parameter: the app's own start fails the same way.
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => SwitchboardTestHost.StartAsync(
            services => services.AddSwitchboard().MapSignal("app.bad", (string text) => { })));

        Assert.Contains("app.bad", failure.Message, StringComparison.Ordinal);
        Assert.Contains("WindowInfo", failure.Message, StringComparison.Ordinal);
    }
}
