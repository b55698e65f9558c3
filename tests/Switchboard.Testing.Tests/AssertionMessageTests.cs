namespace Switchboard.Testing.Tests;

/// <summary>A failed assertion says what was expected and lists what was sent instead.</summary>
public sealed class AssertionMessageTests
{
    [Fact]
    public async Task SingleOfNothingListsWhatWasSent()
    {
        await using var host = await Apps.StartAsync();
        var ada = host.NewWindow(user: "ada");
        await host.Signals.CallAsync(ada, "app.other", to: [Destination.Window], kwargs: new { text = "not this" });

        var failure = Assert.Throws<SwitchboardAssertionException>(() => host.Sent.To(ada).Single("app.wanted"));

        Assert.StartsWith("Expected exactly one message to window ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("(ada) of signal 'app.wanted'; found 0.", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Everything sent (1):", failure.Message, StringComparison.Ordinal);
        Assert.Contains("#0 app.other {\"text\":\"not this\"} to -window.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SingleOfTwoSaysHowMany()
    {
        await using var host = await Apps.StartAsync();
        await host.Signals.CallAsync(null, "app.twice", to: [Destination.Broadcast]);
        await host.Signals.CallAsync(null, "app.twice", to: [Destination.Broadcast]);

        var failure = Assert.Throws<SwitchboardAssertionException>(() => host.Sent.ToBroadcast().Single("app.twice"));

        Assert.StartsWith("Expected exactly one message to everyone (BROADCAST) of signal 'app.twice'; found 2.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssertNothingSentListsWhatWas()
    {
        await using var host = await Apps.StartAsync();
        await host.Signals.CallAsync(null, "app.noise", to: ["room:lobby"], kwargs: new { n = 7 });

        var failure = Assert.Throws<SwitchboardAssertionException>(() => host.Sent.AssertNothingSent());
        var toRoom = Assert.Throws<SwitchboardAssertionException>(() => host.Sent.ToTopic("room:lobby").AssertNotSent("app.noise"));

        Assert.Equal("Expected nothing sent; found 1." + Environment.NewLine + "Everything sent (1):" + Environment.NewLine +
            "  #0 app.noise {\"n\":7} to -str.room:lobby", failure.Message);
        Assert.StartsWith("Expected no 'app.noise' to topic -str.room:lobby; it was sent.", toRoom.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssertSentWithOptsSaysNoneMatched()
    {
        await using var host = await Apps.StartAsync();
        var window = host.NewWindow(topics: ["room:lobby"]);
        await host.Signals.CallAsync(null, "app.line", to: ["room:lobby"], kwargs: new { text = "hello" });

        var found = host.Sent.To(window).AssertSent("app.line", opts => opts.GetProperty("text").GetString() == "hello");
        var failure = Assert.Throws<SwitchboardAssertionException>(
            () => host.Sent.To(window).AssertSent("app.line", opts => opts.GetProperty("text").GetString() == "bye"));

        Assert.Equal(0, found.Index);
        Assert.Contains("Expected 'app.line' with matching opts to window ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("app.line {\"text\":\"hello\"} to -str.room:lobby", failure.Message, StringComparison.Ordinal);
        // The windows the host made are listed with their topics, so a topic missing from a window shows.
        Assert.Contains("topics -broadcast, -str.room:lobby, -window.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForSentFailsListingWhatWasSent()
    {
        await using var host = await Apps.StartAsync(o => o.Timeout = TimeSpan.FromMilliseconds(100));
        await host.Signals.CallAsync(null, "app.something", to: [Destination.Broadcast]);

        var failure = await Assert.ThrowsAsync<SwitchboardAssertionException>(() => host.WaitForSentAsync("app.never"));

        Assert.Contains("Expected 'app.never' to be sent within 0.1 s; it was not.", failure.Message, StringComparison.Ordinal);
        Assert.Contains("app.something {} to -broadcast", failure.Message, StringComparison.Ordinal);
    }
}
