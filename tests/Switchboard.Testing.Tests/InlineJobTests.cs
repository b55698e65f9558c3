using Switchboard.Demo;

namespace Switchboard.Testing.Tests;

/// <summary>Jobs run by workers (the default): WhenIdleAsync returns once every job that can run has run.</summary>
public sealed class InlineJobTests
{
    [Fact]
    public async Task ABrowserCallRunsItsHandlerAndTheRoomGetsTheMessage()
    {
        await using var host = await Apps.StartAsync();
        var ada = host.NewWindow(user: "ada", topics: [new ChatRoom("lobby")]);
        var bob = host.NewWindow(user: "bob", topics: [new ChatRoom("lobby")]);
        var elsewhere = host.NewWindow(user: "eve", topics: [new ChatRoom("cellar")]);

        var answer = await host.CallFromBrowserAsync(ada, "demo.chat.post", new { room = "lobby", text = "hi" });
        await host.WhenIdleAsync();

        Assert.True(answer.Accepted);
        Assert.Equal(1, answer.Jobs);
        var message = host.Sent.To(bob).Single("demo.chat.message");
        Assert.Equal("hi", message.Opts.GetProperty("text").GetString());
        Assert.Equal("ada", message.Opts.GetProperty("from").GetString());
        host.Sent.To(ada).Single("demo.chat.message");
        host.Sent.To(elsewhere).AssertNothingSent();
        Assert.Empty(host.PendingJobs);
    }

    [Fact]
    public async Task WhenIdleWaitsForJobsThatHandlersQueue()
    {
        await using var host = await Apps.StartAsync();
        var window = host.NewWindow();

        (await host.CallFromBrowserAsync(window, "tests.chain.start", new { n = 1 })).EnsureAccepted();
        await host.WhenIdleAsync();

        Assert.Equal(2, host.Sent.To(window).Single("tests.chain.done").Opts.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task AHandlerOnItsOwnQueueRunsToo()
    {
        await using var host = await Apps.StartAsync();
        var window = host.NewWindow();

        await host.CallFromBrowserAsync(window, "tests.reports", new { text = "q" });
        await host.WhenIdleAsync();

        Assert.Equal("q", host.Sent.To(window).Single("tests.reported").OptsAs<Reported>().Text);
    }

    [Fact]
    public async Task WhenIdleTimesOutNamingTheJobStillRunning()
    {
        await using var host = await Apps.StartAsync(o => o.Timeout = TimeSpan.FromMilliseconds(300));
        var window = host.NewWindow();

        await host.CallFromBrowserAsync(window, "tests.waits");

        // The handler waits a minute of the fake clock, which nobody advances.
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => host.WhenIdleAsync());
        Assert.Contains("tests.waits", timeout.Message, StringComparison.Ordinal);
        host.Sent.AssertNothingSent();
    }

    [Fact]
    public async Task RunningJobsByHandIsForSteppedHosts()
    {
        await using var host = await Apps.StartAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.RunNextJobAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.RunPendingJobsAsync());
    }

    private sealed record Reported(string Text);
}
