using Switchboard.Demo;

namespace Switchboard.FunctionalTests;

/// <summary>
/// A replaced <see cref="ITopicSerializer"/> on real sockets (docs/choices.md, "Replacing the serializer"): one that adds
/// a <see cref="DemoTenant"/> key and delegates the rest to the default, one that renames every key. Each is registered
/// after <c>AddSwitchboard</c>, as an application does; every destination still arrives, and only where it should:
/// WINDOW, USER, BROADCAST, a string topic and a tenant chosen by the page's view, the error report of a failed call,
/// live joins and leaves of a window and of a user (IWindowControl), a user's close, and presence.
/// </summary>
public sealed class TopicSerializerTests
{
    [Theory]
    [InlineData("tenant")]
    [InlineData("renamed")]
    public async Task EveryDestinationArrivesOnlyWhereItShould(string serializer)
    {
        await using var host = await SwitchboardHost.StartAsync(o =>
        {
            o.Switchboard = s => s.Presence.Topics.Add("room:*");
            o.Signals = b => b.AddDemoTopicSerializer(serializer);
            o.Endpoints = app => app.MapDemoTenantPage(serializer);
        });
        Assert.IsType(serializer == "tenant" ? typeof(TenantTopicSerializer) : typeof(RenamedTopicSerializer), host.Services.GetRequiredService<ITopicSerializer>());
        await using var aliceBrowser = new TestBrowser();
        await using var bobBrowser = new TestBrowser();
        await aliceBrowser.LoginAsync(host, "alice");
        await bobBrowser.LoginAsync(host, "bob");
        var alice = await OpenTenantPageAsync(aliceBrowser, host, "acme");
        var bob = await OpenTenantPageAsync(bobBrowser, host, "beta");

        // The socket is on the keys the serializer makes: the built-ins and the view's choices alike.
        var key = host.ReadToken(alice.Token!).WindowKey!;
        string[] expected = serializer == "tenant"
            ? ["-broadcast", "-window." + key, "-user.alice", "-tenant.acme", "-str.room:acme"]
            : ["everyone", "w:" + key, "u:alice", "t:acme", "s:room:acme"];
        Assert.Equal(expected.Select(TestWindow.TopicId).Order(StringComparer.Ordinal), alice.Positions.Keys.Order(StringComparer.Ordinal));

        // Presence of the page's string topic, shown by its value.
        await alice.NextSignalAsync("switchboard.presence", o => o.Str("topic") == "room:acme");

        // A server handler answers through every destination.
        (await alice.CallAsync("demo.tenant.answer", new { tenant = "acme", mark = "m1" })).EnsureAccepted();
        foreach (var via in new[] { "WINDOW", "USER", "BROADCAST", "TENANT", "ROOM" })
        {
            await alice.NextSignalAsync(DemoTopicSerializers.Answer, o => o.Str("via") == via && o.Str("mark") == "m1");
        }
        await bob.NextSignalAsync(DemoTopicSerializers.Answer, o => o.Str("via") == "BROADCAST" && o.Str("mark") == "m1");

        // A failed call's error report reaches the calling window.
        (await alice.CallAsync("demo.tenant.fail", new { mark = "m2" })).EnsureAccepted();
        await alice.NextFrameAsync(f => f.Type() == "error" && f.Str("message") == "tenant failure m2", "the error report");

        // A live join and leave of a window (IWindowControl, from its handler).
        (await bob.CallAsync("demo.tenant.join", new { tenant = "acme" })).EnsureAccepted();
        await bob.NextSignalAsync("demo.tenant.joined");
        (await alice.CallAsync("demo.tenant.send", new { tenant = "acme", mark = "m3" })).EnsureAccepted();
        await bob.NextSignalAsync(DemoTopicSerializers.Answer, o => o.Str("mark") == "m3");
        (await bob.CallAsync("demo.tenant.leave", new { tenant = "acme" })).EnsureAccepted();
        await bob.NextSignalAsync("demo.tenant.left");
        (await alice.CallAsync("demo.tenant.send", new { tenant = "acme", mark = "m4" })).EnsureAccepted();
        await alice.NextSignalAsync(DemoTopicSerializers.Answer, o => o.Str("mark") == "m4");

        // A user's join, through the USER key IWindowControl makes from the id alone.
        var control = host.Services.GetRequiredService<IWindowControl>();
        await control.SubscribeUserAsync("bob", [new DemoTenant("gamma")]).DefaultTimeout();
        await bob.NextFrameAsync(f => f.Type() == "topics", "bob's join of gamma");
        await host.Signals.CallAsync(null, DemoTopicSerializers.Answer, to: [new DemoTenant("gamma")], kwargs: new { via = "TENANT", mark = "m5" });
        await bob.NextSignalAsync(DemoTopicSerializers.Answer, o => o.Str("mark") == "m5");

        await alice.PingAsync();
        await bob.PingAsync();
        static IEnumerable<(string?, string?)> Answers(TestWindow window) => window.Received
            .Where(f => f.IsSignal(DemoTopicSerializers.Answer)).DistinctBy(f => f.Str("signal_id"))
            .Select(f => (f.Opts().Str("mark"), f.Opts().Str("via")));
        Assert.Equal([("m1", "WINDOW"), ("m1", "USER"), ("m1", "BROADCAST"), ("m1", "TENANT"), ("m1", "ROOM"), ("m3", "TENANT"), ("m4", "TENANT")], Answers(alice));
        Assert.Equal([("m1", "BROADCAST"), ("m3", "TENANT"), ("m5", "TENANT")], Answers(bob));
        Assert.DoesNotContain(bob.Received, f => f.Type() == "error");
        Assert.DoesNotContain(bob.Received, f => f.IsSignal("switchboard.presence") && f.Opts().Str("topic") == "room:acme");

        // Closing a user's windows goes through the same USER key: bob's window closes, alice's stays.
        await control.CloseUserAsync("bob", "bye").DefaultTimeout();
        await bob.Closed.DefaultTimeout();
        Assert.Equal(4003, bob.CloseStatus);
        await alice.PingAsync();
        Assert.True(alice.IsOpen);
    }

    private static async Task<TestWindow> OpenTenantPageAsync(TestBrowser browser, SwitchboardHost host, string tenant)
    {
        var token = await browser.LoadTokenAsync(host, "tenant/" + tenant);
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);
        return window;
    }
}
