using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Switchboard.Tests.Options;

/// <summary>
/// The order of options (docs/options.md): configuration first, then the code given to <c>AddSwitchboard</c>, then any
/// later <c>services.Configure</c>, as ASP.NET Core's own options; a setting only configuration gives still applies.
/// </summary>
public sealed class OptionsBindingOrderTests
{
    private static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DefaultQueue"] = "from-configuration",
            ["MaxTopicsPerWindow"] = "7",
            ["HeartbeatInterval"] = "00:00:30",
        })
        .Build();

    [Fact]
    public void CodeGivenToAddSwitchboardWinsOverConfiguration()
    {
        var services = new ServiceCollection();
        services.AddSwitchboard(Configuration(), o => o.DefaultQueue = "from-code");
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value;

        Assert.Equal("from-code", options.DefaultQueue);
        Assert.Equal(7, options.MaxTopicsPerWindow);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HeartbeatInterval);
    }

    [Fact]
    public void LaterConfigureCallsWinOverBoth()
    {
        var services = new ServiceCollection();
        services.AddSwitchboard(Configuration(), o => (o.DefaultQueue, o.MaxTopicsPerWindow) = ("from-code", 9));
        services.Configure<SwitchboardOptions>(o => o.MaxTopicsPerWindow = 11);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value;

        Assert.Equal("from-code", options.DefaultQueue);
        Assert.Equal(11, options.MaxTopicsPerWindow);
    }

    [Fact]
    public void WithoutCodeConfigurationApplies()
    {
        var services = new ServiceCollection();
        services.AddSwitchboard(Configuration());
        using var provider = services.BuildServiceProvider();

        Assert.Equal("from-configuration", provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value.DefaultQueue);
    }
}
