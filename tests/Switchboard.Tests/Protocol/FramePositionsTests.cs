using System.Text;
using Switchboard.Internal.Protocol;

namespace Switchboard.Tests.Protocol;

/// <summary>Reading the <c>pos</c> member of server frames (what the replay uses to sort held frames).</summary>
public sealed class FramePositionsTests
{
    private static List<(string Id, TopicPosition Position)> Read(string frame) => FramePositions.Read(Encoding.UTF8.GetBytes(frame));

    [Fact]
    public void ReadsEveryTopicOfASequencedFrameInOrder()
    {
        var body = FrameWriter.SignalBody("s", """{"n":1}""", "sid");
        var frame = FrameWriter.Sequenced(body, ["-broadcast", "-str.room"], [new TopicPosition(4, "e.1"), new TopicPosition(12, "e.2")]);

        var positions = FramePositions.Read(WebSocketFraming.Payload(frame));

        Assert.Equal([(TopicIds.Of("-broadcast"), new TopicPosition(4, "e.1")), (TopicIds.Of("-str.room"), new TopicPosition(12, "e.2"))], positions);
    }

    [Fact]
    public void FrameWithoutPositionsHasNone()
    {
        Assert.Empty(FramePositions.Read(WebSocketFraming.Payload(FrameWriter.Signal("s", """{"pos":{"x":[1,"e"]}}""", "sid"))));
        Assert.Empty(FramePositions.Read(WebSocketFraming.Payload(FrameWriter.Pong)));
        Assert.Empty(Read("""{"type":"signal","pos":{}}"""));
    }

    [Fact]
    public void PosInsideOptsOrNestedValuesIsNotTheFramesPos()
    {
        var frame = """{"type":"signal","opts":{"pos":{"fake":[9,"x"]},"list":[{"pos":1}]},"signal_id":"s","pos":{"real":[2,"e"]}}""";

        Assert.Equal([("real", new TopicPosition(2, "e"))], Read(frame));
    }

    [Fact]
    public void ReadsHelloPositionsAfterItsOtherMembers()
    {
        var hello = FrameWriter.Hello(["a.b", "c"], TimeSpan.FromSeconds(25),
            new Dictionary<string, TopicPosition> { ["-broadcast"] = new(0, "e"), ["-window.k"] = new(3, "f") }, recovered: true);

        var positions = FramePositions.Read(WebSocketFraming.Payload(hello));

        Assert.Equal(2, positions.Count);
        Assert.Contains((TopicIds.Of("-window.k"), new TopicPosition(3, "f")), positions);
    }

    [Fact]
    public void PosFirstAndLargeNumbersAndEscapedEpochs()
    {
        var frame = """{"pos":{"a":[9223372036854775807,"e\"1"],"b":[0,""]},"type":"signal"}""";

        Assert.Equal([("a", new TopicPosition(long.MaxValue, "e\"1")), ("b", new TopicPosition(0, ""))], Read(frame));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"pos\"")]
    public void NotAnObjectHasNoPositions(string frame) => Assert.Empty(Read(frame));
}
