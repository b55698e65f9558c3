using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.Connections;
using Switchboard.Internal.InMemory;
using Switchboard.Internal.Protocol;

namespace Switchboard.Tests.Protocol;

/// <summary>
/// Window commands (IWindowControl): the body the broker carries names topic keys; what a window is sent for it
/// (a <c>topics</c> frame) names topic ids only, live and in a replay.
/// </summary>
public sealed class WindowCommandTests
{
    private static readonly SignalId Id = SignalId.From("sid-1");

    private static JsonObject Json(byte[] frame) => JsonNode.Parse(WebSocketFraming.Payload(frame))!.AsObject();

    [Fact]
    public void TopicsBodyRoundTripsAndIsRecognisedAsACommand()
    {
        var body = WindowCommand.TopicsBody(["-str.a", "-str.é"], ["-str.b"], new Dictionary<string, TopicPosition> { ["-str.a"] = new(4, "e1") }, Id);

        Assert.StartsWith("\"type\":\"topics\",", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.True(WindowCommand.IsCommand(body));
        var command = WindowCommand.Parse(body);
        Assert.False(command.IsClose);
        Assert.Equal(["-str.a", "-str.é"], command.Add);
        Assert.Equal(["-str.b"], command.Remove);
        Assert.Equal(new TopicPosition(4, "e1"), command.Since["-str.a"]);
        Assert.Equal("sid-1", command.SignalId);
    }

    [Fact]
    public void CloseBodyRoundTrips()
    {
        var command = WindowCommand.Parse(WindowCommand.CloseBody(4003, "signed \"out\"", Id));

        Assert.True(command.IsClose);
        Assert.Equal(4003, command.Code);
        Assert.Equal("signed \"out\"", command.Reason);
    }

    [Fact]
    public void SignalResultAndErrorBodiesAreNoCommands()
    {
        Assert.False(WindowCommand.IsCommand(FrameWriter.SignalBody("topics", "{\"type\":\"topics\"}", "x")));
        Assert.False(WindowCommand.IsCommand(FrameWriter.ResultBody(1, "1"u8, Id)));
        Assert.False(WindowCommand.IsCommand(FrameWriter.ErrorBody("handler_failed", "close", 1, "close")));
    }

    [Fact]
    public void TopicsFrameNamesIdsAndThePositionOfTheChange()
    {
        var command = WindowCommand.Parse(WindowCommand.TopicsBody(["-str.a"], ["-str.b"], new Dictionary<string, TopicPosition> { ["-str.a"] = new(4, "e1") }, Id));

        var frame = command.TopicsFrame(new Dictionary<string, TopicPosition> { [TopicIds.Of("-str.a")] = new(4, "e1") }, [TopicIds.Of("-str.b")], "-window.k", new TopicPosition(9, "w"));

        var json = Json(frame);
        Assert.Equal("topics", (string?)json["type"]);
        Assert.Equal(4, (long)json["add"]![TopicIds.Of("-str.a")]![0]!);
        Assert.Equal("e1", (string?)json["add"]![TopicIds.Of("-str.a")]![1]);
        Assert.Equal(TopicIds.Of("-str.b"), (string?)json["remove"]![0]);
        Assert.Equal("sid-1", (string?)json["signal_id"]);
        Assert.Equal(9, (long)json["pos"]![TopicIds.Of("-window.k")]![0]!);
        var text = Encoding.UTF8.GetString(WebSocketFraming.Payload(frame));
        Assert.DoesNotContain("-str.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("-window.", text, StringComparison.Ordinal);
        Assert.False(Json(command.NoOpFrame("-window.k", null)).ContainsKey("pos"));
    }

    [Fact]
    public async Task ReplayWithoutAHandlerTurnsACommandIntoAFrameThatChangesNothingAndKeepsPositionsContiguous()
    {
        var network = new InMemoryBrokerNetwork(new FakeTimeProvider(), Microsoft.Extensions.Options.Options.Create(new SwitchboardOptions()));
        using var broker = new InMemoryBroker(network);
        var replay = new WindowReplay(broker);
        await broker.PublishAsync(["-user.bob"], FrameWriter.SignalBody("s", "{}", "one"), default);
        await broker.PublishAsync(["-user.bob"], WindowCommand.TopicsBody(["-str.secret"], [], new Dictionary<string, TopicPosition>(), Id), default);
        await broker.PublishAsync(["-user.bob"], FrameWriter.SignalBody("s", "{}", "three"), default);

        var frames = new List<byte[]>();
        var (complete, last) = await replay.ReplayAsync("-user.bob", new TopicPosition(0, (await broker.GetPositionAsync("-user.bob", default)).Epoch), frames, 100, default);

        Assert.True(complete);
        Assert.Equal(3, last.Sequence);
        Assert.Equal(["signal", "topics", "signal"], frames.Select(f => (string?)Json(f)["type"]));
        Assert.Equal([1L, 2L, 3L], frames.Select(f => FramePositions.Read(WebSocketFraming.Payload(f)).Single().Position.Sequence));
        Assert.Empty(Json(frames[1])["add"]!.AsObject());
        Assert.DoesNotContain("secret", Encoding.UTF8.GetString(WebSocketFraming.Payload(frames[1])), StringComparison.Ordinal);
    }
}
