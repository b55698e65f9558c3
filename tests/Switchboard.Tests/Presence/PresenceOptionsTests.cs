using Microsoft.Extensions.Options;
using Switchboard.Internal.Hosting;
using Switchboard.Internal.Presence;

namespace Switchboard.Tests.Presence;

/// <summary>Presence options: validated at startup, and which topic keys their patterns and predicate enable.</summary>
public sealed class PresenceOptionsTests
{
    [Fact]
    public void DefaultsAreValidAndEnableNothing()
    {
        var options = new SwitchboardOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Presence.EntryLifetime);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Presence.RefreshInterval);
        Assert.Equal("switchboard.presence", options.Presence.Signal);
        var topics = Topics(options);
        Assert.False(topics.Any);
        Assert.False(topics.IsEnabled("-str.room:1"));
        Assert.False(topics.IsEnabled("-broadcast"));
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(30, 10)]
    public void TheRefreshMustBeShorterThanTheLifetime(int refreshSeconds, int lifetimeSeconds)
    {
        var options = new SwitchboardOptions();
        options.Presence.RefreshInterval = TimeSpan.FromSeconds(refreshSeconds);
        options.Presence.EntryLifetime = TimeSpan.FromSeconds(lifetimeSeconds);

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Switchboard:Presence:EntryLifetime", StringComparison.Ordinal));
    }

    [Fact]
    public void ANonPositiveRefreshABadSignalNameAndAnEmptyPatternAreRefused()
    {
        var options = new SwitchboardOptions();
        options.Presence.RefreshInterval = TimeSpan.Zero;
        options.Presence.Signal = "not a name";
        options.Presence.Topics.Add("");

        var failures = Validate(options).Failures!;

        Assert.Contains(failures, f => f.Contains("Switchboard:Presence:RefreshInterval", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Switchboard:Presence:Signal 'not a name'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Switchboard:Presence:Topics contains an empty pattern", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("room:*", "-str.room:lobby", true)]
    [InlineData("room:*", "-str.room:", true)]
    [InlineData("room:*", "-str.rooms:1", false)]
    [InlineData("room:*", "-str.xroom:1", false)]
    [InlineData("*:admin", "-str.team:admin", true)]
    [InlineData("a*b*c", "-str.aXbYbZc", true)]
    [InlineData("a*b*c", "-str.aXbYc-", false)]
    [InlineData("exact", "-str.exact", true)]
    [InlineData("exact", "-str.exactly", false)]
    [InlineData("*", "-int.1", false)] // patterns match string topics only
    [InlineData("*", "-window.abc", false)] // not a string topic
    public void PatternsMatchTheValueOfStringTopics(string pattern, string key, bool enabled)
    {
        var options = new SwitchboardOptions();
        options.Presence.Topics.Add(pattern);

        Assert.Equal(enabled, Topics(options).IsEnabled(key));
    }

    [Fact]
    public void ThePredicateSeesEveryKeyButALifecycleEntry()
    {
        var seen = new List<string>();
        var options = new SwitchboardOptions();
        options.Presence.Predicate = key =>
        {
            seen.Add(key);
            return true;
        };
        var topics = Topics(options);

        Assert.True(topics.IsEnabled("-broadcast"));
        Assert.True(topics.IsEnabled("-int.7"));
        Assert.False(topics.IsEnabled("~window.abc"));
        // A window's own topic never gets here: the topic registry does not report it (TopicSerializerReplacementTests).
        Assert.Equal(["-broadcast", "-int.7"], seen);
    }

    private static ValidateOptionsResult Validate(SwitchboardOptions options) =>
        new SwitchboardOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);

    private static PresenceTopics Topics(SwitchboardOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), new Switchboard.Internal.Windows.TopicKeys(new DefaultTopicSerializer()));
}
