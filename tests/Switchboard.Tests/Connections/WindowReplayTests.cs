using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.Connections;
using Switchboard.Internal.InMemory;
using Switchboard.Internal.Protocol;

namespace Switchboard.Tests.Connections;

/// <summary>
/// What a connecting window is sent before its live traffic (protocol.md §7): the replay of resumed topics, the
/// positions hello gives, and which live frames held meanwhile are still new.
/// </summary>
public sealed class WindowReplayTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly InMemoryBroker _broker;
    private readonly WindowReplay _replay;

    public WindowReplayTests()
    {
        var network = new InMemoryBrokerNetwork(_time, Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions
        {
            History = { MaxLength = 1000 },
        }));
        _broker = new InMemoryBroker(network);
        _replay = new WindowReplay(_broker);
    }

    public void Dispose() => _broker.Dispose();

    /// <summary>Publishes message <paramref name="n"/> to <paramref name="topics"/>; returns the frame a window would get live.</summary>
    private async Task<byte[]> PublishAsync(int n, params string[] topics)
    {
        var body = Body(n);
        await _broker.PublishAsync(topics, body, default);
        var positions = new List<TopicPosition>();
        foreach (var topic in topics)
        {
            positions.Add(await _broker.GetPositionAsync(topic, default));
        }
        return FrameWriter.Sequenced(body, topics, positions);
    }

    private static byte[] Body(int n) => FrameWriter.SignalBody("s", "{\"n\":" + n + "}", "id" + n);

    private static int N(byte[] frame) => (int)JsonNode.Parse(WebSocketFraming.Payload(frame))!["opts"]!["n"]!;

    private static long Seq(byte[] frame, string topic) =>
        FramePositions.Read(WebSocketFraming.Payload(frame)).Single(p => p.Id == TopicIds.Of(topic)).Position.Sequence;

    private async Task<TopicPosition> HeadAsync(string topic) => await _broker.GetPositionAsync(topic, default);

    [Fact]
    public async Task WithoutResumeEveryTopicStartsAtItsHeadAndRecoveredIsNull()
    {
        await PublishAsync(1, "a");
        await PublishAsync(2, "a");

        var prepared = await _replay.PrepareAsync(["a", "b"], null, 100, default);

        Assert.Null(prepared.Recovered);
        Assert.Empty(prepared.Frames);
        Assert.Equal(await HeadAsync("a"), prepared.Positions["a"]);
        Assert.Equal(new TopicPosition(0, (await HeadAsync("b")).Epoch), prepared.Positions["b"]);
        Assert.Equal(["a", "b"], prepared.Fresh.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ResumedTopicIsReplayedAfterItsPositionWithOnlyItsPosition()
    {
        for (var n = 1; n <= 5; n++)
        {
            await PublishAsync(n, "a", "b");
        }
        var epoch = (await HeadAsync("a")).Epoch;

        var prepared = await _replay.PrepareAsync(["a", "b"], new Dictionary<string, TopicPosition> { [TopicIds.Of("a")] = new(2, epoch) }, 100, default);

        Assert.True(prepared.Recovered);
        Assert.Equal([3, 4, 5], prepared.Frames.Select(N));
        Assert.All(prepared.Frames, f => Assert.Equal(TopicIds.Of("a"), Assert.Single(FramePositions.Read(WebSocketFraming.Payload(f))).Id));
        Assert.Equal(new TopicPosition(5, epoch), prepared.Positions["a"]);
        Assert.Equal(await HeadAsync("b"), prepared.Positions["b"]);
        Assert.Equal(["b"], prepared.Fresh);
    }

    [Fact]
    public async Task ResumeAtTheHeadReplaysNothingAndKeepsThePosition()
    {
        await PublishAsync(1, "a");
        var head = await HeadAsync("a");

        var prepared = await _replay.PrepareAsync(["a"], new Dictionary<string, TopicPosition> { [TopicIds.Of("a")] = head }, 100, default);

        Assert.True(prepared.Recovered);
        Assert.Empty(prepared.Frames);
        Assert.Equal(head, prepared.Positions["a"]);
        Assert.Empty(prepared.Fresh);
    }

    [Fact]
    public async Task UnknownEpochIsNotRecoveredAndEndsAtTheHead()
    {
        await PublishAsync(1, "a");
        await PublishAsync(2, "a");

        var prepared = await _replay.PrepareAsync(["a"], new Dictionary<string, TopicPosition> { [TopicIds.Of("a")] = new(1, "gone") }, 100, default);

        Assert.False(prepared.Recovered);
        Assert.Equal([1, 2], prepared.Frames.Select(N));
        Assert.Equal(await HeadAsync("a"), prepared.Positions["a"]);
    }

    [Fact]
    public async Task MoreThanTheBudgetIsNotRecoveredAndJumpsToTheHead()
    {
        for (var n = 1; n <= 10; n++)
        {
            await PublishAsync(n, "a");
        }
        var epoch = (await HeadAsync("a")).Epoch;

        var prepared = await _replay.PrepareAsync(["a"], new Dictionary<string, TopicPosition> { [TopicIds.Of("a")] = new(0, epoch) }, 4, default);

        Assert.False(prepared.Recovered);
        Assert.Equal([1, 2, 3, 4], prepared.Frames.Select(N));
        Assert.Equal(new TopicPosition(10, epoch), prepared.Positions["a"]);
    }

    [Fact]
    public async Task ExactlyTheBudgetIsRecovered()
    {
        for (var n = 1; n <= 4; n++)
        {
            await PublishAsync(n, "a");
        }
        var epoch = (await HeadAsync("a")).Epoch;

        var prepared = await _replay.PrepareAsync(["a"], new Dictionary<string, TopicPosition> { [TopicIds.Of("a")] = new(0, epoch) }, 4, default);

        Assert.True(prepared.Recovered);
        Assert.Equal([1, 2, 3, 4], prepared.Frames.Select(N));
    }

    [Fact]
    public async Task TheBudgetIsSharedByTheWindowsTopics()
    {
        for (var n = 1; n <= 3; n++)
        {
            await PublishAsync(n, "a");
            await PublishAsync(10 + n, "b");
        }
        var resume = new Dictionary<string, TopicPosition>
        {
            [TopicIds.Of("a")] = new(0, (await HeadAsync("a")).Epoch),
            [TopicIds.Of("b")] = new(0, (await HeadAsync("b")).Epoch),
        };

        var prepared = await _replay.PrepareAsync(["a", "b"], resume, 4, default);

        Assert.False(prepared.Recovered);
        Assert.Equal([1, 2, 3, 11], prepared.Frames.Select(N));
        Assert.Equal(await HeadAsync("b"), prepared.Positions["b"]);
    }

    [Fact]
    public async Task ReplayLongerThanOneReadBatchComesWholeAndInOrder()
    {
        for (var n = 1; n <= 700; n++)
        {
            await PublishAsync(n, "a");
        }
        var epoch = (await HeadAsync("a")).Epoch;

        var prepared = await _replay.PrepareAsync(["a"], new Dictionary<string, TopicPosition> { [TopicIds.Of("a")] = new(0, epoch) }, 10_000, default);

        Assert.True(prepared.Recovered);
        Assert.Equal(Enumerable.Range(1, 700), prepared.Frames.Select(N));
        Assert.Equal(new TopicPosition(700, epoch), prepared.Positions["a"]);
    }

    [Fact]
    public async Task HeldFramesAlreadyReplayedAreDroppedAndNewerOnesKept()
    {
        var epoch = (await HeadAsync("a")).Epoch;
        var live = new List<byte[]>();
        for (var n = 1; n <= 3; n++)
        {
            live.Add(await PublishAsync(n, "a"));
        }
        // The window subscribed after 1, so 2 and 3 were also held; the replay read up to 3, then 4 arrived.
        var prepared = await _replay.PrepareAsync(["a"], new Dictionary<string, TopicPosition> { [TopicIds.Of("a")] = new(1, epoch) }, 100, default);
        live.Add(await PublishAsync(4, "a"));

        var kept = prepared.KeepNew(live.Skip(1).ToList());

        Assert.Equal([2, 3], prepared.Frames.Select(N));
        Assert.Equal([4], kept.Select(N));
        Assert.Equal(new TopicPosition(3, epoch), prepared.Positions["a"]);
    }

    [Fact]
    public async Task FreshTopicPositionMovesBackSoAMessageHeldBeforeTheReadStillCounts()
    {
        // Subscribed, then 1 and 2 published (and held), then the position read (2), then 3 held.
        var held = new List<byte[]> { await PublishAsync(1, "a"), await PublishAsync(2, "a") };
        var prepared = await _replay.PrepareAsync(["a"], null, 100, default);
        held.Add(await PublishAsync(3, "a"));

        var kept = prepared.KeepNew(held);

        Assert.Equal([1, 2, 3], kept.Select(N));
        Assert.Equal(0, prepared.Positions["a"].Sequence);
    }

    [Fact]
    public async Task FrameReplayedInOneTopicButNewInAnotherIsKeptAndFramesOldInAllItsTopicsAreDropped()
    {
        var epoch = (await HeadAsync("a")).Epoch;
        await PublishAsync(1, "a");
        var prepared = await _replay.PrepareAsync(["a", "b"], new Dictionary<string, TopicPosition> { [TopicIds.Of("a")] = new(0, epoch) }, 100, default);
        var both = await PublishAsync(2, "a", "b");
        var replayedOnly = FrameWriter.Sequenced(Body(1), ["a"], [new TopicPosition(1, epoch)]);
        // Another topic of the message is not the window's: only the window's topics decide.
        var alsoElsewhere = FrameWriter.Sequenced(Body(9), ["a", "elsewhere"], [new TopicPosition(1, epoch), new TopicPosition(5, "x")]);

        var kept = prepared.KeepNew([replayedOnly, alsoElsewhere, both]);

        Assert.Equal([1], prepared.Frames.Select(N));
        Assert.Equal([2], kept.Select(N));
    }

    [Fact]
    public async Task UnsequencedFramesAndFramesOfAnotherEpochAreKept()
    {
        await PublishAsync(1, "a");
        var prepared = await _replay.PrepareAsync(["a"], null, 100, default);
        var unsequenced = FrameWriter.Unsequenced(Body(7));
        var otherEpoch = FrameWriter.Sequenced(Body(8), ["a"], [new TopicPosition(1, "reborn")]);

        var kept = prepared.KeepNew([unsequenced, otherEpoch]);

        Assert.Equal([7, 8], kept.Select(N));
        Assert.Equal(1, prepared.Positions["a"].Sequence);
    }

    [Fact]
    public async Task KeepNewAdjustsOnlyFreshTopics()
    {
        var epoch = (await HeadAsync("a")).Epoch;
        await PublishAsync(1, "a");
        await PublishAsync(2, "a");
        var prepared = await _replay.PrepareAsync(["a"], new Dictionary<string, TopicPosition> { [TopicIds.Of("a")] = new(0, epoch) }, 100, default);
        var again = FrameWriter.Sequenced(Body(2), ["a"], [new TopicPosition(2, epoch)]);

        var kept = prepared.KeepNew([again]);

        Assert.Empty(kept);
        Assert.Equal(new TopicPosition(2, epoch), prepared.Positions["a"]);
        Assert.Equal(2, Seq(prepared.Frames[^1], "a"));
    }

    [Fact]
    public async Task LiveResumeReplayReturnsCompletenessAndTheLastPosition()
    {
        var epoch = (await HeadAsync("a")).Epoch;
        for (var n = 1; n <= 5; n++)
        {
            await PublishAsync(n, "a");
        }
        var frames = new List<byte[]>();

        var (complete, last) = await _replay.ReplayAsync("a", new TopicPosition(3, epoch), frames, 100, default);
        var (atHead, same) = await _replay.ReplayAsync("a", new TopicPosition(5, epoch), frames, 100, default);

        Assert.True(complete);
        Assert.Equal(new TopicPosition(5, epoch), last);
        Assert.True(atHead);
        Assert.Equal(new TopicPosition(5, epoch), same);
        Assert.Equal([4, 5], frames.Select(N));
    }
}
