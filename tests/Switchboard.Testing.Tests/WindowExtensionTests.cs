using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Testing.Tests;

/// <summary>NewWindow gives a window the extensions its page would have set; handlers read them as on a real page.</summary>
public sealed class WindowExtensionTests
{
    [Theory]
    [InlineData(TestJobs.Inline)]
    [InlineData(TestJobs.Stepped)]
    public async Task AHandlerReadsTheExtensionsGivenToNewWindow(TestJobs jobs)
    {
        await using var host = await Apps.StartAsync(o => o.Jobs = jobs);
        var dark = host.NewWindow(extensions: new Dictionary<string, object?> { ["theme"] = "dark" });
        var ada = host.NewWindow(user: "ada", extensions: new Dictionary<string, object?> { ["theme"] = "light", ["seats"] = 3 });

        (await host.CallFromBrowserAsync(dark, "demo.theme")).EnsureAccepted();
        (await host.CallFromBrowserAsync(ada, "demo.theme")).EnsureAccepted();
        if (jobs == TestJobs.Stepped)
        {
            await host.RunPendingJobsAsync();
        }
        else
        {
            await host.WhenIdleAsync();
        }

        Assert.Equal("This page was rendered with the dark theme.", host.Sent.To(dark).Single("df.notify").Opts.GetProperty("content").GetString());
        Assert.Equal("This page was rendered with the light theme.", host.Sent.To(ada).Single("df.notify").Opts.GetProperty("content").GetString());
        Assert.Equal(3, ada.GetExtension<int>("seats"));
        Assert.Empty(host.NewWindow().Extensions);
    }

    [Fact]
    public async Task NewWindowChecksNamesAndSizeAsARenderWould()
    {
        await using var host = await SwitchboardTestHost.StartAsync(
            services => services.AddSwitchboard(o => o.MaxWindowExtensionsBytes = 32).AddSignalsFrom(typeof(Switchboard.Demo.DemoSignals).Assembly));

        Assert.Throws<ArgumentException>(() => host.NewWindow(extensions: new Dictionary<string, object?> { ["not a name"] = 1 }));
        var e = Assert.Throws<InvalidOperationException>(() => host.NewWindow(extensions: new Dictionary<string, object?> { ["blob"] = new string('x', 40) }));
        Assert.Contains("NewWindow", e.Message, StringComparison.Ordinal);
        Assert.Contains("'blob'", e.Message, StringComparison.Ordinal);
    }
}
