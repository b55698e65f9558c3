namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// WindowInfo extensions across processes on Redis: the demo records the theme a page was rendered with (DemoTheme,
/// <c>?theme=dark</c>) on the web node; <c>demo.theme</c> runs in a separate worker process, which reads it from the
/// job's window, and answers the window through Redis.
/// </summary>
public sealed class WindowExtensionProcessTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    [RedisFact]
    public async Task AWorkerProcessReadsTheThemeThePageWasRenderedWith()
    {
        await using var cluster = new DemoCluster(redis.Configuration, redis.Prefix + "window-extensions:", output);
        var (web, address) = await cluster.StartWebNodeAsync("web");
        var worker = cluster.StartWorker("worker", "default", "--Switchboard:Workers:Count=1");
        await DemoCluster.WaitServingAsync(worker, "default");
        var dark = await cluster.OpenWindowAsync(address, "/chat/lobby?theme=dark");
        var plain = await cluster.OpenWindowAsync(address, "/");

        (await dark.CallAsync("demo.theme")).EnsureAccepted();
        (await plain.CallAsync("demo.theme")).EnsureAccepted();

        var darkAnswer = await dark.NextSignalAsync("df.notify", o => o.Str("title") == "demo.theme");
        var plainAnswer = await plain.NextSignalAsync("df.notify", o => o.Str("title") == "demo.theme");
        Assert.Equal("This page was rendered with the dark theme.", darkAnswer.GetProperty("opts").Str("content"));
        Assert.Equal("This page was rendered with the light theme.", plainAnswer.GetProperty("opts").Str("content"));
        // The web node serves no queue on Redis: the worker process ran both.
        Assert.DoesNotContain(web.Lines, l => l.Contains("Serving queue", StringComparison.Ordinal));
        Assert.False(web.HasExited);
    }
}
