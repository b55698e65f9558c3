using Microsoft.Extensions.DependencyInjection;
using Switchboard.Demo;

namespace Switchboard.Testing.Tests;

/// <summary>The app under test, registered as the demo registers it (its [Signal] and [Function] methods), plus the tests' own handlers.</summary>
internal static class Apps
{
    public static Task<SwitchboardTestHost> StartAsync(Action<SwitchboardTestHostOptions>? options = null) =>
        SwitchboardTestHost.StartAsync(
            services => services.AddSwitchboard().AddSignalsFrom(typeof(DemoSignals).Assembly).AddTestSignals(),
            options);
}
