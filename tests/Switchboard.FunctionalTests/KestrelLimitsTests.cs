using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Diagnostics;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Switchboard changes Kestrel's connection limits only when the app asks (<see cref="SwitchboardOptions.LimitKestrelConnections"/>),
/// keeps limits the app set, and says once at startup which limits are in effect (events 3051 / 3052).
/// </summary>
public sealed class KestrelLimitsTests
{
    [Fact]
    public async Task ByDefaultKestrelIsLeftAloneAndItsLimitsAreLoggedOnce()
    {
        var logs = new FakeLogCollector();
        await using var host = await StartAsync(logs);

        var limits = host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Null(limits.MaxConcurrentConnections);
        Assert.Null(limits.MaxConcurrentUpgradedConnections);
        var record = Assert.Single(logs.GetSnapshot(), r => r.Id.Id is 3051 or 3052);
        Assert.Equal("KestrelLimitsUnchanged", record.Id.Name);
        Assert.Equal("unlimited", record.GetStructuredStateValue("MaxConcurrentConnections"));
        Assert.Equal("unlimited", record.GetStructuredStateValue("MaxConcurrentUpgradedConnections"));
        Assert.Equal(OpenFileLimit.Current?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited",
            record.GetStructuredStateValue("OpenFileLimit"));
    }

    [Fact]
    public async Task WhenAskedTheLimitsAreSetBelowTheOpenFileLimitAndLogged()
    {
        // Linux (CI, production): /proc/self/limits is always there.
        Assert.NotNull(OpenFileLimit.Current);
        var logs = new FakeLogCollector();
        await using var host = await StartAsync(logs, o => o.LimitKestrelConnections = true);

        var ceiling = OpenFileLimit.Current!.Value * 9 / 10;
        var limits = host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Equal(ceiling, limits.MaxConcurrentConnections);
        Assert.Equal(ceiling, limits.MaxConcurrentUpgradedConnections);
        var record = Assert.Single(logs.GetSnapshot(), r => r.Id.Id is 3051 or 3052);
        Assert.Equal("KestrelLimitsSet", record.Id.Name);
        Assert.Equal(ceiling.ToString(System.Globalization.CultureInfo.InvariantCulture), record.GetStructuredStateValue("MaxConcurrentConnections"));
    }

    [Fact]
    public async Task WhenAskedALimitTheAppSetIsKept()
    {
        Assert.NotNull(OpenFileLimit.Current);
        var logs = new FakeLogCollector();
        await using var host = await StartAsync(logs, o => o.LimitKestrelConnections = true,
            services => services.Configure<KestrelServerOptions>(k => k.Limits.MaxConcurrentConnections = 1234));

        var limits = host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        Assert.Equal(1234, limits.MaxConcurrentConnections);
        Assert.Equal(OpenFileLimit.Current!.Value * 9 / 10, limits.MaxConcurrentUpgradedConnections);
        var record = Assert.Single(logs.GetSnapshot(), r => r.Id.Id is 3051 or 3052);
        Assert.Equal("1234", record.GetStructuredStateValue("MaxConcurrentConnections"));
    }

    private static Task<SwitchboardHost> StartAsync(FakeLogCollector logs, Action<SwitchboardOptions>? switchboard = null, Action<IServiceCollection>? services = null) =>
        SwitchboardHost.StartAsync(o =>
        {
            o.Services = s =>
            {
                s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs));
                services?.Invoke(s);
            };
            o.Switchboard = switchboard;
        });
}
