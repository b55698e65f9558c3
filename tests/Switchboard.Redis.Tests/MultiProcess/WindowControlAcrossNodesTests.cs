using System.Net;

namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// Live membership and sign-out everywhere (docs/windows.md) as separate demo processes on one Redis: a change made in
/// the worker process (which holds no window) or by a request on node B reaches the socket on node A; a joined topic
/// survives a reconnect to the other node; <c>/logout</c> on one node closes the user's tabs on both with 4003.
/// </summary>
public sealed class WindowControlAcrossNodesTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    [RedisFact]
    public async Task JoinMadeInTheWorkerAndSignOutOnNodeBReachWindowsOnNodeA()
    {
        await using var cluster = new DemoCluster(redis.Configuration, redis.Prefix + "window-control:", output);
        var (_, a, _, b, _) = await cluster.StartTwoWebNodesAndWorkerAsync("default");

        // (a) A window on A joins room "games": demo.chat.join runs in the worker process, whose IWindowControl
        // publishes the change through Redis; node A applies it. A line posted on B in games then reaches it.
        var onA = await cluster.OpenWindowAsync(a, "/chat/lobby");
        var inGames = await cluster.OpenWindowAsync(b, "/chat/games");
        (await onA.CallAsync("demo.chat.join", new { room = "games" })).EnsureAccepted();
        await onA.NextSignalAsync("demo.chat.joined", o => o.Str("room") == "games");
        var line = "games " + Guid.NewGuid().ToString("N")[..8];
        (await inGames.CallAsync("demo.chat.post", new { room = "games", text = line })).EnsureAccepted();
        await onA.NextSignalAsync("demo.chat.message", o => o.Str("text") == line);
        var change = Assert.Single(onA.Received, f => f.Type() == "topics");
        Assert.Equal([TestWindow.TopicId(DemoRoom.Key("games"))], change.PositionsOf("add").Keys);
        Assert.DoesNotContain(onA.Received, f => f.GetRawText().Contains("ChatRoom", StringComparison.Ordinal) && f.Type() != "signal");

        // (b) The same window reconnects to node B: its stored topics keep the room, and what it missed is replayed.
        onA.Abort();
        await onA.Closed.WaitAsync(DemoCluster.FrameTimeout);
        var missed = "missed " + Guid.NewGuid().ToString("N")[..8];
        (await inGames.CallAsync("demo.chat.post", new { room = "games", text = missed })).EnsureAccepted();
        await inGames.NextSignalAsync("demo.chat.message", o => o.Str("text") == missed);
        var socketOnB = new Uri(b, "/switchboard/ws").ToString().Replace("http://", "ws://", StringComparison.Ordinal);
        await using var again = await onA.ReconnectAsync(new Uri(socketOnB));
        Assert.True(again.Hello.Recovered());
        await again.NextSignalAsync("demo.chat.message", o => o.Str("text") == missed);

        // (c) alice has a tab on each node; /logout served by node B closes both with 4003, bob's tab stays.
        var alice = new CookieContainer();
        var bob = new CookieContainer();
        await SignInAsync(a, alice, "alice");
        await SignInAsync(a, bob, "bob");
        var aliceOnA = await OpenAsync(a, alice);
        var aliceOnB = await OpenAsync(b, alice);
        var bobOnA = await OpenAsync(a, bob);
        var clock = Stopwatch.StartNew();
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = alice, AllowAutoRedirect = false }))
        {
            (await http.GetAsync(new Uri(b, "/logout"))).Dispose();
        }
        await aliceOnA.Closed.WaitAsync(TimeSpan.FromSeconds(2));
        await aliceOnB.Closed.WaitAsync(TimeSpan.FromSeconds(2));
        output.WriteLine($"(c) /logout on B closed alice's tabs on A and B in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(4003, aliceOnA.CloseStatus);
        Assert.Equal(4003, aliceOnB.CloseStatus);
        Assert.Equal("signed out", aliceOnA.CloseDescription);
        await bobOnA.PingAsync();
        Assert.True(bobOnA.IsOpen);
        await aliceOnA.DisposeAsync();
        await aliceOnB.DisposeAsync();
        await bobOnA.DisposeAsync();
    }

    private static async Task SignInAsync(Uri node, CookieContainer cookies, string name)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        using var response = await http.GetAsync(new Uri(node, "/login?name=" + name));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<TestWindow> OpenAsync(Uri node, CookieContainer cookies)
    {
        var options = new TestWindowOptions { Timeout = DemoCluster.FrameTimeout, Cookies = cookies };
        var init = await PageInit.LoadAsync(new Uri(node, "/"), options);
        return await TestWindow.ConnectAsync(init.SocketUriFor(node), init.Token, options);
    }
}
