namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// The demo as processes with the queues on one redis-server (Q, <c>--Switchboard:RedisQueues</c>) and the browser side
/// on another (B, <c>--Switchboard:Redis</c>), docs/scaling.md: jobs land in Q and browser state in B; with Q killed, a
/// C# publish still reaches the window while browser calls are refused <c>unavailable</c>; once Q is back (empty), calls
/// run again. The servers are the test's own.
/// </summary>
public sealed class SeparateRolesProcessTests(ITestOutputHelper output)
{
    [RedisFact(NeedsServer = true)]
    public async Task KillingTheQueuesServerLeavesBrowserMessagesFlowingAndRefusesCallsUntilItIsBack()
    {
        await using var browser = await RedisServer.StartAsync();
        await using var queues = await RedisServer.StartAsync(password: "q-secret");
        await using var cluster = new DemoCluster(browser.Configuration, "roles:", output);
        string[] roles = ["--Switchboard:RedisQueues=" + queues.Configuration, "--Switchboard:RedisOptions:BlockTimeout=00:00:00.500"];
        var (web, address) = await cluster.StartWebNodeAsync("web", roles);
        var worker = cluster.StartWorker("worker", "default", [.. roles, "--Switchboard:Workers:Count=1"]);
        await DemoCluster.WaitServingAsync(worker, "default");
        var window = await cluster.OpenWindowAsync(address, "/chat/roles");
        (await window.CallAsync("demo.chat.post", new { room = "roles", text = "before" })).EnsureAccepted();
        await window.NextSignalAsync("demo.chat.message", o => o.Str("text") == "before");

        // Jobs in Q's streams only; the window's topics (browser side) in B only.
        var onQ = await KeysAsync(queues);
        var onB = await KeysAsync(browser);
        output.WriteLine($"Q: {string.Join(", ", onQ)}\nB: {string.Join(", ", onB)}");
        Assert.Contains("roles:{q:default}", onQ);
        Assert.All(onQ, k => Assert.StartsWith("roles:{q:", k, StringComparison.Ordinal));
        Assert.DoesNotContain(onB, k => k.Contains("{q:", StringComparison.Ordinal));
        Assert.Contains(onB, k => k.StartsWith("roles:topics:", StringComparison.Ordinal));

        var clock = Stopwatch.StartNew();
        await queues.StopAsync();
        output.WriteLine("Q stopped");

        // Browser messages still flow: a C# publish (the console emitter, a process of its own) reaches the window.
        await cluster.EmitAsync("demo.broadcasted", "BROADCAST", """{"text":"Q is down"}""", 1, roles);
        await window.NextSignalAsync("demo.broadcasted", o => o.Str("text") == "Q is down");
        output.WriteLine($"C# publish reached the window {clock.ElapsedMilliseconds} ms after Q stopped");

        // Calls need the queues: refused unavailable, never accepted and lost.
        clock.Restart();
        (await window.CallAsync("demo.chat.post", new { room = "roles", text = "during" }, TimeSpan.FromSeconds(30))).EnsureRefused("unavailable");
        output.WriteLine($"a call while Q is down refused unavailable after {clock.ElapsedMilliseconds} ms");

        await queues.StartAgainAsync();
        clock.Restart();
        var attempts = await CallUntilResultAsync(window);
        output.WriteLine($"Q back (empty): a call ran after {clock.ElapsedMilliseconds} ms ({attempts} attempt(s))");
        Assert.False(web.HasExited);
        Assert.DoesNotContain(web.Lines.Concat(worker.Lines), l => l.Contains("q-secret", StringComparison.Ordinal));
    }

    private static async Task<List<string>> KeysAsync(RedisServer server)
    {
        await using var raw = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        return [.. raw.GetServer(raw.GetEndPoints()[0]).Keys(pattern: "*").Select(k => k.ToString())];
    }

    /// <summary>Calls with a new text until one is accepted and its chat line is back; at most 60 s.</summary>
    private static async Task<int> CallUntilResultAsync(TestWindow window)
    {
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            var text = "after-" + attempt;
            var answer = await window.CallAsync("demo.chat.post", new { room = "roles", text }, TimeSpan.FromSeconds(30));
            if (answer.Accepted)
            {
                try
                {
                    await window.NextSignalAsync("demo.chat.message", o => o.Str("text") == text, TimeSpan.FromSeconds(10));
                    return attempt;
                }
                catch (TimeoutException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
                {
                    // Accepted while the worker's group was being re-created on the empty server: try again.
                }
            }
            else
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"still refused after 60 s: {answer}");
                await Task.Delay(200);
            }
        }
    }
}
