using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Hosting;

namespace Switchboard.Tests.Options;

public sealed class SwitchboardOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(Action<SwitchboardOptions> change)
    {
        var options = new SwitchboardOptions();
        change(options);
        return new SwitchboardOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
    }

    private static void AssertFailsWith(Action<SwitchboardOptions> change, string expected)
    {
        var result = Validate(change);

        Assert.True(result.Failed, $"Expected a failure mentioning '{expected}'.");
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultsAreValid()
    {
        Assert.True(Validate(_ => { }).Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("switchboard")]
    [InlineData("/switchboard/")]
    [InlineData("/")]
    public void PathPrefixMustStartWithASlashAndNotEndWithOne(string prefix)
    {
        AssertFailsWith(o => o.PathPrefix = prefix, "Switchboard:PathPrefix");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(60_001)]
    public void TheDashboardFeedIntervalIsBetweenATenthOfASecondAndAMinute(int milliseconds)
    {
        AssertFailsWith(o => o.DashboardFeed.Interval = TimeSpan.FromMilliseconds(milliseconds), "Switchboard:DashboardFeed:Interval");
        Assert.True(Validate(o => o.DashboardFeed.Interval = TimeSpan.FromMilliseconds(100)).Succeeded);
    }

    [Fact]
    public void NestedPathPrefixIsValid()
    {
        Assert.True(Validate(o => o.PathPrefix = "/app/rt").Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void DefaultQueueMustNotBeEmpty(string queue)
    {
        AssertFailsWith(o => o.DefaultQueue = queue, "Switchboard:DefaultQueue");
    }

    [Theory]
    [InlineData("TopicsTimeToLive")]
    [InlineData("WindowTokenLifetime")]
    [InlineData("HandshakeTimeout")]
    [InlineData("HeartbeatInterval")]
    public void DurationsMustBePositive(string name)
    {
        var property = typeof(SwitchboardOptions).GetProperty(name)!;

        AssertFailsWith(o => property.SetValue(o, TimeSpan.Zero), $"Switchboard:{name} must be positive");
        AssertFailsWith(o => property.SetValue(o, TimeSpan.FromSeconds(-1)), $"Switchboard:{name} must be positive");
    }

    [Theory]
    [InlineData("TopicsTimeToLive")]
    [InlineData("WindowTokenLifetime")]
    public void RenewedDurationsLastAtLeastOneSecond(string name)
    {
        var property = typeof(SwitchboardOptions).GetProperty(name)!;

        AssertFailsWith(o => property.SetValue(o, TimeSpan.FromMilliseconds(999)), $"Switchboard:{name} must be at least 1 second");
        Assert.True(Validate(o => property.SetValue(o, TimeSpan.FromSeconds(1))).Succeeded);
    }

    [Fact]
    public void ClientTimeoutMustExceedTheHeartbeatInterval()
    {
        AssertFailsWith(o => (o.HeartbeatInterval, o.ClientTimeout) = (TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)), "Switchboard:ClientTimeout");
        Assert.True(Validate(o => (o.HeartbeatInterval, o.ClientTimeout) = (TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(31))).Succeeded);
    }

    [Fact]
    public void MaxFrameBytesHasAFloor()
    {
        AssertFailsWith(o => (o.MaxFrameBytes, o.MaxKwargsBytes) = (1023, 512), "Switchboard:MaxFrameBytes must be at least 1024");
        Assert.True(Validate(o => (o.MaxFrameBytes, o.MaxKwargsBytes) = (1024, 512)).Succeeded);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(65537)]
    public void MaxKwargsBytesMustFitInAFrame(int kwargsBytes)
    {
        AssertFailsWith(o => o.MaxKwargsBytes = kwargsBytes, "Switchboard:MaxKwargsBytes");
    }

    [Fact]
    public void SendQueueNeedsRoom()
    {
        AssertFailsWith(o => o.SendQueueCapacity = 0, "Switchboard:SendQueueCapacity");
    }

    [Fact]
    public void WorkerSettingsAreChecked()
    {
        AssertFailsWith(o => o.Workers.Count = 0, "Switchboard:Workers:Count");
        AssertFailsWith(o => o.Workers.QueueCapacity = 0, "Switchboard:Workers:QueueCapacity");
        AssertFailsWith(o => o.Workers.PerQueue["slow"] = 0, "Switchboard:Workers:PerQueue:slow");
        AssertFailsWith(o => o.Workers.Queues.Add(" "), "Switchboard:Workers:Queues");
    }

    [Fact]
    public void RetrySettingsAreChecked()
    {
        AssertFailsWith(o => o.Retry.BaseDelay = TimeSpan.Zero, "Switchboard:Retry:BaseDelay");
        AssertFailsWith(o => o.Retry.MaxDelay = TimeSpan.FromMilliseconds(1), "Switchboard:Retry:MaxDelay");
        AssertFailsWith(o => o.Retry.DefaultMaxAttempts = 0, "Switchboard:Retry:DefaultMaxAttempts");
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("/relative")]
    [InlineData("file:///etc")]
    [InlineData("ws://example.com")]
    public void AllowedOriginMustBeAbsoluteOrStar(string origin)
    {
        AssertFailsWith(o => o.AllowedOrigins.Add(origin), $"'{origin}'");
    }

    [Fact]
    public void StarAndAbsoluteOriginsAreValid()
    {
        Assert.True(Validate(o => { o.AllowedOrigins.Add("*"); o.AllowedOrigins.Add("https://example.com:8443"); }).Succeeded);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var result = Validate(o => (o.PathPrefix, o.SendQueueCapacity, o.Workers.Count) = ("x", 0, 0));

        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public async Task InvalidOptionsMakeTheHostFailToStartWithTheMessage()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSwitchboard(o => o.PathPrefix = "no-slash");
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Switchboard:PathPrefix must start with '/'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidConfigurationMakesTheHostFailToStart()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Switchboard:Workers:Count"] = "0", ["Switchboard:MaxFrameBytes"] = "100" })
            .Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSwitchboard(configuration.GetSection("Switchboard"));
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Switchboard:Workers:Count", e.Message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:MaxFrameBytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigurationIsBoundToTheOptions()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PathPrefix"] = "/rt", ["Workers:PerQueue:slow"] = "2", ["AllowedOrigins:0"] = "https://a.example" })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSwitchboard(configuration);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value;

        Assert.Equal("/rt", options.PathPrefix);
        Assert.Equal(2, options.Workers.PerQueue["slow"]);
        Assert.Equal(["https://a.example"], options.AllowedOrigins);
    }
}
