namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// A replaced <c>ITopicSerializer</c> across processes on one Redis (docs/choices.md, "Replacing the
/// serializer"): the demo's web node (serving no queue), its worker and its emitter each register the same serializer
/// (<c>--Demo:TopicSerializer</c>). A job run by the worker answers WINDOW, USER, BROADCAST, the tenant and the page's
/// string topic, reports its failure, joins and leaves a window live; the emitter reaches a user and a tenant; every
/// one arrives on the web node's sockets, and only where it should. The demo's chat room (a record) has the
/// serializer's key and presence.
/// </summary>
public sealed class TopicSerializerProcessTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    /// <summary>The demo's answer signal (DemoTopicSerializers.Answer); its <c>via</c> says which destination it took.</summary>
    private const string Answer = "demo.tenant.got";

    [RedisTheory]
    [InlineData("tenant")]
    [InlineData("renamed")]
    public async Task AJobOnTheWorkerAnswersEveryDestinationThroughTheSerializer(string serializer)
    {
        await using var cluster = new DemoCluster(redis.Configuration, redis.Prefix + "serializer-" + serializer + ":", output);
        var option = "--Demo:TopicSerializer=" + serializer;
        var web = cluster.StartWebNodeAsync("web", option, "--Switchboard:Workers:Enabled=false");
        var worker = cluster.StartWorker("worker", "default", option);
        var (_, node) = await web;
        await DemoCluster.WaitServingAsync(worker, "default");
        var run = Guid.NewGuid().ToString("N")[..8];
        var (acme, beta) = ("acme" + run, "beta" + run);
        var (alice, bob) = ("alice-" + run, "bob-" + run);
        await using var onAcme = await OpenSignedInAsync(node, alice, "/tenant/" + acme);
        await using var onBeta = await OpenSignedInAsync(node, bob, "/tenant/" + beta);
        var key = (serializer == "tenant" ? "-tenant." : "t:") + acme;
        Assert.Contains(TestWindow.TopicId(key), onAcme.Positions.Keys);
        await onAcme.NextSignalAsync("switchboard.presence", o => o.Str("topic") == "room:" + acme);

        // The worker process runs the job (the web node serves no queue) and answers through every destination.
        (await onAcme.CallAsync("demo.tenant.answer", new { tenant = acme, mark = "m1" })).EnsureAccepted();
        foreach (var via in new[] { "WINDOW", "USER", "BROADCAST", "TENANT", "ROOM" })
        {
            await onAcme.NextSignalAsync(Answer, o => o.Str("via") == via && o.Str("mark") == "m1");
        }
        await onBeta.NextSignalAsync(Answer, o => o.Str("via") == "BROADCAST" && o.Str("mark") == "m1");

        // Its failure is reported to the calling window by the worker.
        (await onAcme.CallAsync("demo.tenant.fail", new { mark = "m2" })).EnsureAccepted();
        await onAcme.NextFrameAsync(f => f.Type() == "error" && f.Str("message") == "tenant failure m2", "the error report");

        // The worker's IWindowControl joins bob's window to acme live, then takes it out.
        (await onBeta.CallAsync("demo.tenant.join", new { tenant = acme })).EnsureAccepted();
        await onBeta.NextSignalAsync("demo.tenant.joined");
        (await onAcme.CallAsync("demo.tenant.send", new { tenant = acme, mark = "m3" })).EnsureAccepted();
        await onBeta.NextSignalAsync(Answer, o => o.Str("mark") == "m3");
        (await onBeta.CallAsync("demo.tenant.leave", new { tenant = acme })).EnsureAccepted();
        await onBeta.NextSignalAsync("demo.tenant.left");
        (await onAcme.CallAsync("demo.tenant.send", new { tenant = acme, mark = "m4" })).EnsureAccepted();
        await onAcme.NextSignalAsync(Answer, o => o.Str("mark") == "m4");

        // The emitter, a third process, reaches alice by user and bob by tenant.
        await cluster.EmitAsync(Answer, $"USER:{alice},TENANT:{beta}", """{"via":"EMIT","mark":"m5"}""", 1, option);
        await onAcme.NextSignalAsync(Answer, o => o.Str("mark") == "m5");
        await onBeta.NextSignalAsync(Answer, o => o.Str("mark") == "m5");

        await onAcme.PingAsync();
        await onBeta.PingAsync();
        static IEnumerable<(string?, string?)> Answers(TestWindow window) => window.Received
            .Where(f => f.IsSignal(Answer)).DistinctBy(f => f.Str("signal_id"))
            .Select(f => (f.Opts().Str("mark"), f.Opts().Str("via")));
        // m1 went to five topics: each exactly once, in no defined order between them (order is per topic).
        Assert.Equal(["BROADCAST", "ROOM", "TENANT", "USER", "WINDOW"], Answers(onAcme).Where(a => a.Item1 == "m1").Select(a => a.Item2).Order(StringComparer.Ordinal));
        Assert.Equal([("m3", "TENANT"), ("m4", "TENANT"), ("m5", "EMIT")], Answers(onAcme).Where(a => a.Item1 != "m1"));
        Assert.Equal([("m1", "BROADCAST"), ("m3", "TENANT"), ("m5", "EMIT")], Answers(onBeta));
        Assert.DoesNotContain(onBeta.Received, f => f.Type() == "error");

        // The demo's chat room, a record: the serializer's key for it (the tenant serializer leaves it to the default's),
        // presence on it whatever the serializer (DemoBackend.cs), and a line posted through the worker.
        var room = "room" + run;
        var roomKey = serializer == "tenant" ? DemoRoom.Key(room) : "r:" + room;
        await using var inRoom = await OpenSignedInAsync(node, alice, "/chat/" + room);
        Assert.Contains(TestWindow.TopicId(roomKey), inRoom.Positions.Keys);
        await inRoom.NextSignalAsync("switchboard.presence", o => o.Str("topic") == roomKey);
        (await inRoom.CallAsync("demo.chat.post", new { room, text = "line " + run })).EnsureAccepted();
        await inRoom.NextSignalAsync("demo.chat.message", o => o.Str("text") == "line " + run && o.Str("room") == room);
    }

    private static async Task<TestWindow> OpenSignedInAsync(Uri node, string user, string path)
    {
        var options = new TestWindowOptions { Timeout = DemoCluster.FrameTimeout, Name = user };
        using (var http = new HttpClient(new SocketsHttpHandler { CookieContainer = options.Cookies, UseCookies = true }))
        {
            (await http.GetAsync(new Uri(node, "/login?name=" + Uri.EscapeDataString(user)))).EnsureSuccessStatusCode();
        }
        var init = await PageInit.LoadAsync(new Uri(node, path), options);
        return await TestWindow.ConnectAsync(init.SocketUriFor(node), init.Token, options);
    }
}
