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

    /// <summary>Publishers stop here at the latest: half of the send queue and of the history configured below.</summary>
    private const int MaxMessages = 100_000;

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
        using var stop = new CancellationTokenSource();
        var published = 0;
        // Three publishers: the room alone, the room with BROADCAST, BROADCAST with the window's own topic.
        object[][] destinations = [["room"], ["room", Destination.Broadcast], [Destination.Broadcast, Destination.Window]];
        var publishers = destinations.Select(to => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Volatile.Read(ref published) < MaxMessages)
            {
                await host.Signals.CallAsync(info, "test.n", to: to, kwargs: new { n = Interlocked.Increment(ref published) });
                await Task.Yield();
            }
        })).ToArray();

        for (var hop = 1; hop <= Hops; hop++)
        {
            var seen = Math.Max(1, Volatile.Read(ref published));
            await window.NextFrameAsync(f => f.IsSignal("test.n") && f.Opts().GetProperty("n").GetInt32() >= seen, "traffic before hop " + hop);
            if (hop % 4 == 0)
            {
                window.Socket.Abort();
            }
            await window.DisposeAsync();
            var last = Positions.LastPositions(window.Received);
            window = await browser.ConnectAsync(host);
            await window.HandshakeAsync(token, last);
            connections.Add(window);
        }
        await stop.CancelAsync();
        await Task.WhenAll(publishers).DefaultTimeout();
        var total = published;
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
        using var stop = new CancellationTokenSource();
        var published = 0;
        var publisher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Volatile.Read(ref published) < MaxMessages)
            {
                await host.Signals.CallAsync(null, "test.n", to: ["room"], kwargs: new { n = Interlocked.Increment(ref published) });
                await Task.Yield();
            }
        });
        var windows = new List<TestWindow>();
        for (var i = 0; i < Windows; i++)
        {
            windows.Add(await browser.OpenWindowAsync(host, ["room"]));
        }
        await stop.CancelAsync();
        await publisher.DefaultTimeout();
        var total = published;

        var starts = new List<long>();
        foreach (var window in windows)
        {
            await window.NextFrameAsync(f => f.IsSignal("test.n") && f.PosOf(Room)?.Seq == total, "the last message");
            var checker = new DeliveryChecker();
            checker.Connection(window.Received);
            var start = window.Hello.PosOf(Room)!.Value.Seq;
            starts.Add(start);
            Assert.True(checker is { Gaps: 0, Duplicates: 0 }, checker.Problems);
            // One publisher: a message's number is its sequence number in the room.
            Assert.Equal(Enumerable.Range((int)start + 1, total - (int)start), checker.Run.Order());
        }
        output.WriteLine($"{Windows} windows connected while {total} messages were published; they started at {string.Join(", ", starts)}");
        Assert.True(starts.Distinct().Count() > Windows / 2, "the windows connected while messages were being published");
    }

    private static Task<SwitchboardHost> StartAsync() =>
        SwitchboardHost.StartAsync(o => o.Switchboard = s => (s.SendQueueCapacity, s.History.MaxLength) = (200_000, 200_000));
}
