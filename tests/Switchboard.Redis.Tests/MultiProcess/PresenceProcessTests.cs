using Microsoft.Extensions.Logging;
using Switchboard.Demo;

namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// Presence and the window lifecycle across demo processes on one Redis (docs/presence.md): two web nodes see each
/// other's windows in a room; a node killed with SIGKILL (no shutdown, nothing removed) leaves no ghost once the entry
/// lifetime has passed, the survivor tells the room, and <c>switchboard.window.disconnected</c> runs in the worker.
/// </summary>
public sealed class PresenceProcessTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    /// <summary>Short, so the test waits seconds: the bound on ghosts is EntryLifetime (+ one RefreshInterval to be told).</summary>
    private static readonly string[] ShortPresence =
        ["--Switchboard:Presence:EntryLifetime=00:00:03", "--Switchboard:Presence:RefreshInterval=00:00:01"];

    [RedisFact]
    public async Task TwoNodesSeeEachOthersWindowsAndAKilledNodeLeavesNoGhost()
    {
        var prefix = redis.Prefix + "presence:";
        await using var cluster = new DemoCluster(redis.Configuration, prefix, output);
        var nodeA = cluster.StartWebNodeAsync("web-A", ShortPresence);
        var nodeB = cluster.StartWebNodeAsync("web-B", ShortPresence);
        var worker = cluster.StartWorker("worker", "default", ShortPresence);
        var (_, a) = await nodeA;
        var (processB, b) = await nodeB;
        await DemoCluster.WaitServingAsync(worker, "default");
        var room = "r" + Guid.NewGuid().ToString("N")[..8];
        var alice = "alice-" + room;
        var bob = "bob-" + room;

        await using var onA = await OpenSignedInAsync(a, alice, "/chat/" + room);
        await MembersAsync(onA, room, alice);
        await using var onB = await OpenSignedInAsync(b, bob, "/chat/" + room);
        await MembersAsync(onB, room, $"{alice}, {bob}");
        await MembersAsync(onA, room, $"{alice}, {bob}");

        // Any process with Redis can ask: here the test's own, which serves nothing.
        await using var services = PresenceReader(prefix, room);
        var presence = services.GetRequiredService<IPresence>();
        var both = await presence.GetAsync(new ChatRoom(room)).WaitAsync(DemoCluster.FrameTimeout);
        Assert.Equal(2, both.Windows);
        Assert.Equal([alice, bob], both.Users.Select(u => u.Name));
        await worker.WaitForLineAsync(l => l.Contains($"a window of {bob} connected", StringComparison.Ordinal), "bob's window connected", DemoCluster.FrameTimeout);

        var clock = Stopwatch.StartNew();
        await processB.KillAsync();
        await MembersAsync(onA, room, alice);
        output.WriteLine($"node B killed: the room was told in {clock.ElapsedMilliseconds} ms (lifetime 3 s, refresh 1 s)");

        var after = await presence.GetAsync(new ChatRoom(room)).WaitAsync(DemoCluster.FrameTimeout);
        Assert.Equal(1, after.Windows);
        Assert.Equal([alice], after.Users.Select(u => u.Name));
        await worker.WaitForLineAsync(l => l.Contains($"a window of {bob} disconnected", StringComparison.Ordinal), "bob's window disconnected", DemoCluster.FrameTimeout);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), "the room was told before B's entries could have expired");
    }

    private async Task<TestWindow> OpenSignedInAsync(Uri node, string user, string path)
    {
        var options = new TestWindowOptions { Timeout = DemoCluster.FrameTimeout, Name = user };
        using (var http = new HttpClient(new SocketsHttpHandler { CookieContainer = options.Cookies, UseCookies = true }))
        {
            (await http.GetAsync(new Uri(node, "/login?name=" + Uri.EscapeDataString(user)))).EnsureSuccessStatusCode();
        }
        var init = await PageInit.LoadAsync(new Uri(node, path), options);
        return await TestWindow.ConnectAsync(init.SocketUriFor(node), init.Token, options);
    }

    /// <summary>Waits for the presence signal of the room naming exactly <paramref name="members"/> (as the demo page shows them).</summary>
    private static Task<JsonElement> MembersAsync(TestWindow window, string room, string members) =>
        window.NextSignalAsync(PresenceOptions.DefaultSignal, o =>
        {
            if (o.GetProperty("topic").GetString() != DemoRoom.Key(room))
            {
                return false;
            }
            var names = o.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("name").GetString()!).ToList();
            if (o.GetProperty("anonymous").GetInt32() > 0)
            {
                names.Add("anonymous");
            }
            return string.Join(", ", names.Order(StringComparer.Ordinal)) == members;
        });

    /// <summary>A process of the test's own on the same Redis, with presence on the room's key (the demo's room is a record).</summary>
    private ServiceProvider PresenceReader(string prefix, string room)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSwitchboard(o => o.Presence.Predicate = key => key == DemoRoom.Key(room)).AddRedis(redis.Configuration, o => o.Prefix = prefix);
        return services.BuildServiceProvider();
    }
}
