using Switchboard.Demo;

namespace Switchboard.Testing.Tests;

/// <summary>No worker: jobs wait in PendingJobs until the test runs them.</summary>
public sealed class SteppedJobTests
{
    [Fact]
    public async Task AQueuedJobIsListedAndRunsOnlyWhenTheTestSays()
    {
        await using var host = await Apps.StartAsync(o => o.Jobs = TestJobs.Stepped);
        var ada = host.NewWindow(user: "ada", topics: [new ChatRoom("lobby")]);

        (await host.CallFromBrowserAsync(ada, "demo.chat.post", new { room = "lobby", text = "hi" })).EnsureAccepted();

        var job = Assert.Single(host.PendingJobs);
        Assert.Equal("demo.chat.post", job.Signal);
        Assert.Equal("default", job.Queue);
        Assert.Equal("hi", job.Kwargs.GetProperty("text").GetString());
        Assert.Equal(ada.WindowKey, job.Window?.WindowKey);
        Assert.True(job.FromBrowser);
        Assert.True(job.CanRun);
        Assert.False(job.IsDelivery);
        host.Sent.AssertNothingSent();

        var ran = await host.RunNextJobAsync();

        Assert.Equal("demo.chat.post", ran?.Signal);
        Assert.Empty(host.PendingJobs);
        Assert.Equal("hi", host.Sent.To(ada).Single("demo.chat.message").Opts.GetProperty("text").GetString());
        Assert.Null(await host.RunNextJobAsync());
    }

    [Fact]
    public async Task RunPendingJobsRunsTheJobsThatJobsQueue()
    {
        await using var host = await Apps.StartAsync(o => o.Jobs = TestJobs.Stepped);
        var window = host.NewWindow();

        await host.CallFromBrowserAsync(window, "tests.chain.start", new { n = 5 });
        var ran = await host.RunPendingJobsAsync();

        Assert.Equal(2, ran);
        Assert.Equal(6, host.Sent.To(window).Single("tests.chain.done").Opts.GetProperty("n").GetInt32());
        Assert.Empty(host.PendingJobs);
    }

    [Fact]
    public async Task RunNextJobTakesTheQueueAsked()
    {
        await using var host = await Apps.StartAsync(o => o.Jobs = TestJobs.Stepped);
        var window = host.NewWindow();
        await host.CallFromBrowserAsync(window, "tests.chain.start", new { n = 1 });
        await host.CallFromBrowserAsync(window, "tests.reports", new { text = "r" });

        var ran = await host.RunNextJobAsync("reports");

        Assert.Equal("tests.reports", ran?.Signal);
        Assert.Equal(["tests.chain.start"], host.PendingJobs.Select(j => j.Signal));
        Assert.Null(await host.RunNextJobAsync("nothing-here"));
    }

    [Fact]
    public async Task AWindowsSecondCallWaitsForItsFirst()
    {
        await using var host = await Apps.StartAsync(o => o.Jobs = TestJobs.Stepped);
        var ada = host.NewWindow(user: "ada");
        var bob = host.NewWindow(user: "bob");
        await host.CallFromBrowserAsync(ada, "demo.echo", new { n = 1 });
        await host.CallFromBrowserAsync(ada, "demo.echo", new { n = 2 });
        await host.CallFromBrowserAsync(bob, "demo.echo", new { n = 3 });

        // A window's calls run in the order it made them: its second waits; another window's does not.
        Assert.Equal([true, false, true], host.PendingJobs.Select(j => j.CanRun));
        Assert.Equal(1, (await host.RunNextJobAsync())?.Kwargs.GetProperty("n").GetInt32());
        Assert.Equal([true, true], host.PendingJobs.Select(j => j.CanRun));
        Assert.Equal(2, await host.RunPendingJobsAsync());

        Assert.Equal([1, 2], host.Sent.To(ada).OfSignal("demo.echoed").Select(m => m.Opts.GetProperty("n").GetInt32()));
    }

    [Fact]
    public async Task AFailingHandlerIsReportedToTheCallingWindow()
    {
        await using var host = await Apps.StartAsync(o => o.Jobs = TestJobs.Stepped);
        var window = host.NewWindow();

        var call = await host.CallFromBrowserAsync(window, "tests.fails");
        await host.RunPendingJobsAsync();

        var error = Assert.Single(host.Sent.To(window).Errors);
        Assert.Equal(call.Id, error.Frame.GetProperty("id").GetInt64());
        Assert.Contains("it failed", error.Frame.GetRawText(), StringComparison.Ordinal);
        Assert.Null(error.Signal);
    }

    [Fact]
    public async Task WhenIdleIsForInlineHosts()
    {
        await using var host = await Apps.StartAsync(o => o.Jobs = TestJobs.Stepped);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.WhenIdleAsync());
        Assert.Contains("RunPendingJobsAsync", refused.Message, StringComparison.Ordinal);
    }
}
