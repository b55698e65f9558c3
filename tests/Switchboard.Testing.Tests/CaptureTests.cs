using Switchboard.Demo;

namespace Switchboard.Testing.Tests;

/// <summary>Every browser message is captured as published, and read by window, user, topic or broadcast.</summary>
public sealed class CaptureTests
{
    [Fact]
    public async Task AMessageToAUserReachesEveryWindowOfThatUserOnly()
    {
        await using var host = await Apps.StartAsync();
        var adaTab1 = host.NewWindow(user: "ada");
        var adaTab2 = host.NewWindow(user: "ada");
        var bob = host.NewWindow(user: "bob");
        var anonymous = host.NewWindow();

        await host.CallFromBrowserAsync(adaTab1, "demo.user.ping");
        await host.WhenIdleAsync();

        var pinged = host.Sent.ToUser("ada").Single("demo.user.pinged");
        Assert.Equal("ada", pinged.Opts.GetProperty("from").GetString());
        Assert.Equal(pinged.Index, host.Sent.To(adaTab2).Single("demo.user.pinged").Index);
        host.Sent.To(adaTab1).Single("demo.user.pinged");
        host.Sent.To(bob).AssertNothingSent();
        host.Sent.To(anonymous).AssertNothingSent();
        host.Sent.ToUser("bob").AssertNothingSent();
    }

    [Fact]
    public async Task ABroadcastReachesEveryWindow()
    {
        await using var host = await Apps.StartAsync();
        var ada = host.NewWindow(user: "ada");
        var anonymous = host.NewWindow();

        await host.CallFromBrowserAsync(anonymous, "demo.broadcast", new { text = "all" });
        await host.WhenIdleAsync();

        Assert.Equal("all", host.Sent.ToBroadcast().Single("demo.broadcasted").Opts.GetProperty("text").GetString());
        host.Sent.To(ada).Single("demo.broadcasted");
        host.Sent.To(anonymous).Single("demo.broadcasted");
    }

    [Fact]
    public async Task MessagesAreReadByTopicValue()
    {
        await using var host = await Apps.StartAsync();
        var window = host.NewWindow();

        await host.CallFromBrowserAsync(window, "demo.chat.post", new { room = "lobby", text = "one" });
        await host.CallFromBrowserAsync(window, "demo.chat.post", new { room = "cellar", text = "two" });
        await host.WhenIdleAsync();

        Assert.Equal("one", host.Sent.ToTopic(new ChatRoom("lobby")).Single("demo.chat.message").Opts.GetProperty("text").GetString());
        Assert.Equal("two", host.Sent.ToTopic(new ChatRoom("cellar")).Single().Opts.GetProperty("text").GetString());
        Assert.Equal([DemoRoom.Key("lobby")], host.Sent.ToTopic(new ChatRoom("lobby"))[0].Topics);
        // The calling window was not opened with either room: it got neither line.
        host.Sent.To(window).AssertNothingSent();
    }

    [Fact]
    public async Task CallsFromCSharpAreCapturedTooAndAWindowTopicIsItsOwn()
    {
        await using var host = await Apps.StartAsync();
        var ada = host.NewWindow(user: "ada");
        var bob = host.NewWindow(user: "bob");

        await host.Signals.CallAsync(ada, "app.hello", to: [Destination.Window], kwargs: new { n = 1 });

        Assert.Equal(1, host.Sent.ToTopic(Destination.Window, ada).Single("app.hello").Opts.GetProperty("n").GetInt32());
        host.Sent.To(bob).AssertNothingSent();
        Assert.NotNull(host.Sent.Single().SignalId);
    }

    [Fact]
    public async Task WindowCommandsAreNotBrowserMessages()
    {
        await using var host = await Apps.StartAsync();
        var window = host.NewWindow(user: "ada");

        // demo.chat.join changes the window's topics (IWindowControl), then tells the window.
        await host.CallFromBrowserAsync(window, "demo.chat.join", new { room = "attic" });
        await host.WhenIdleAsync();

        var only = Assert.Single(host.Sent);
        Assert.Equal("demo.chat.joined", only.Signal);
    }

    [Fact]
    public async Task ClearSentStartsTheCaptureAfresh()
    {
        await using var host = await Apps.StartAsync();
        var window = host.NewWindow();
        await host.Signals.CallAsync(window, "app.before", to: [Destination.Window]);

        host.ClearSent();
        await host.Signals.CallAsync(window, "app.after", to: [Destination.Window]);

        Assert.Equal("app.after", host.Sent.Single().Signal);
    }

    [Fact]
    public async Task WaitForSentAwaitsAMessageStillToCome()
    {
        await using var host = await Apps.StartAsync();
        var window = host.NewWindow();

        var waiting = host.WaitForSentAsync("app.later", opts => opts.GetProperty("n").GetInt32() == 2);
        await host.Signals.CallAsync(window, "app.later", to: [Destination.Window], kwargs: new { n = 1 });
        Assert.False(waiting.IsCompleted);
        await host.Signals.CallAsync(window, "app.later", to: [Destination.Window], kwargs: new { n = 2 });

        Assert.Equal(1, (await waiting).Index);
    }
}
