namespace Switchboard.Testing.Tests;

/// <summary>The app's TimeProvider is the host's FakeTimeProvider: delayed messages and jobs wait for Time.Advance.</summary>
public sealed class FakeClockTests
{
    [Fact]
    public async Task ADelayedBrowserMessageArrivesWhenTheClockSaysSo()
    {
        await using var host = await Apps.StartAsync();
        var window = host.NewWindow();
        var start = host.Time.GetUtcNow();

        // demo.delayed answers with a countdown: the browser message itself waits (a delivery job).
        await host.CallFromBrowserAsync(window, "demo.delayed", new { seconds = 30 });
        await host.WhenIdleAsync();

        host.Sent.AssertNothingSent();
        var delivery = Assert.Single(host.PendingJobs);
        Assert.True(delivery.IsDelivery);
        Assert.Equal("demo.echoed", delivery.Signal);
        Assert.Equal(start.AddSeconds(30), delivery.DueAt);
        Assert.False(delivery.CanRun);

        host.Time.Advance(TimeSpan.FromSeconds(29));
        await host.WhenIdleAsync();
        host.Sent.AssertNothingSent();

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.WhenIdleAsync();
        var echoed = host.Sent.To(window).Single("demo.echoed");
        Assert.True(echoed.Opts.GetProperty("delayed").GetBoolean());
        Assert.Equal(start.AddSeconds(30), echoed.SentAt);
        Assert.Empty(host.PendingJobs);
    }

    [Fact]
    public async Task ASteppedDelayedJobCanRunOnlyOnceDue()
    {
        await using var host = await Apps.StartAsync(o =>
        {
            o.Jobs = TestJobs.Stepped;
            o.StartTime = new DateTimeOffset(2030, 2, 3, 4, 5, 6, TimeSpan.Zero);
        });
        var window = host.NewWindow();

        await host.Signals.CallAsync(window, "tests.chain.next", to: [Destination.Server], kwargs: new { n = 1 }, countdown: TimeSpan.FromMinutes(5));

        Assert.Equal(new DateTimeOffset(2030, 2, 3, 4, 10, 6, TimeSpan.Zero), Assert.Single(host.PendingJobs).DueAt);
        Assert.Null(await host.RunNextJobAsync());
        host.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("tests.chain.next", (await host.RunNextJobAsync())?.Signal);
        host.Sent.To(window).Single("tests.chain.done");
    }
}
