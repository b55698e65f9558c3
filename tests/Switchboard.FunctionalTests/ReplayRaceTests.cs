using Xunit.Abstractions;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Replay against live traffic: messages published without pause while windows connect (fresh or resuming) reach each
/// window exactly once and in order per topic — the replay, hello and the live messages held meanwhile never overlap
/// or leave a hole (protocol.md §7).
/// </summary>
public sealed class ReplayRaceTests(ITestOutputHelper output)
{
    private const string Room = "-str.room";

    /// <summary>Messages the publishers may send per hop.</summary>
    private const int Credit = 2000;

    [Fact]
    public async Task WindowReconnectingOverAndOverWhileMessagesToSeveralOfItsTopicsArePublishedMissesNothingAndRunsEachOnce()
    {
        const int Hops = 15;
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host, "room");
        var info = host.ReadToken(token);
        var connections = new List<TestWindow>();
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);
        connections.Add(window);
        // Three publishers: the room alone, the room with BROADCAST, BROADCAST with the window's own topic.
        object[][] destinations = [["room"], ["room", Destination.Broadcast], [Destination.Broadcast, Destination.Window]];
        await using var publishers = new PacedPublishers([.. destinations.Select(to =>
            (Func<int, Task>)(n => host.Signals.CallAsync(info, "test.n", to: to, kwargs: new { n })))]);
        for (var hop = 1; hop <= Hops; hop++)
        {
            // Some live traffic on this connection (published after now, so it reaches it live), then more during the hop.
            var seen = publishers.Published;
            publishers.Allow(Credit);
            await window.NextFrameAsync(f => f.IsSignal("test.n") && f.Opts().GetProperty("n").GetInt32() > seen, "traffic before hop " + hop);
            publishers.Allow(Credit);
            if (hop % 4 == 0)
            {
                window.Socket.Abort();
            }
            await window.DisposeAsync();
            var last = window.Positions;
            window = await browser.ConnectAsync(host);
            // More traffic while the server subscribes the window, replays and says hello.
            publishers.Allow(Credit);
            await window.HandshakeAsync(token, last);
            connections.Add(window);
        }
        var total = await publishers.StopAsync();
        // Published after every numbered message: once it is here, they all are.
        await host.Signals.CallAsync(info, "test.end", to: ["room", Destination.Broadcast, Destination.Window]);
        await window.NextSignalAsync("test.end");

        var checker = new DeliveryChecker();
        foreach (var connection in connections)
        {
            checker.Connection(connection.Received);
        }
        output.WriteLine($"one node, three topics: {Hops} hops, {total} messages sent; {checker}");
        Assert.True(checker is { Gaps: 0, Duplicates: 0, NotRecovered: 0 }, checker.Problems);
        Assert.Equal(Enumerable.Range(1, total), checker.Run.Order());
    }

    [Fact]
    public async Task WindowsConnectingWhileMessagesArePublishedContinueExactlyFromHelloPos()
    {
        const int Windows = 25;
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        await using var publisher = new PacedPublishers(n => host.Signals.CallAsync(null, "test.n", to: ["room"], kwargs: new { n }));
        var windows = new List<TestWindow>();
        for (var i = 0; i < Windows; i++)
        {
            var token = await browser.LoadPageAsync(host, "room");
            var window = await browser.ConnectAsync(host);
            // Traffic while the server subscribes the window, reads its positions and says hello.
            publisher.Allow(Credit / 4);
            await window.HandshakeAsync(token);
            windows.Add(window);
        }
        var total = await publisher.StopAsync();
        // Published after every numbered message: once a window has it, it has them all.
        await host.Signals.CallAsync(null, "test.end", to: ["room"]);

        var starts = new List<long>();
        foreach (var window in windows)
        {
            await window.NextSignalAsync("test.end");
            var checker = new DeliveryChecker();
            checker.Connection(window.Received);
            var start = window.Hello.PosOf(Room)!.Value.Seq;
            starts.Add(start);
            Assert.True(checker is { Gaps: 0, Duplicates: 0 }, checker.Problems);
            // One publisher: a message's number is its sequence number in the room.
            Assert.Equal(Enumerable.Range((int)start + 1, total - (int)start), checker.Run.Order());
        }
        output.WriteLine($"{Windows} windows connected while {total} messages were published; they started at {string.Join(", ", starts)}");
        // Most windows start at different positions: messages were being published while they connected (how many
        // overlap depends on the machine's load; the continuity checked above is what matters).
        Assert.True(starts.Distinct().Count() >= Windows / 4, "the windows connected while messages were being published");
    }

    private static Task<SwitchboardHost> StartAsync() =>
        SwitchboardHost.StartAsync(o => o.Switchboard = s => (s.SendQueueCapacity, s.History.MaxLength) = (200_000, 200_000));
}
