using System.Text;
using Switchboard.Internal.Protocol;

namespace Switchboard.Tests.Protocol;

public sealed class FrameReaderTests
{
    private static ClientFrame Parse(string json) => FrameReader.Parse(Encoding.UTF8.GetBytes(json));

    private static byte[] WithBytes(string before, byte[] raw, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];

    private static void AssertBadFrame(ClientFrame frame)
    {
        Assert.Equal(ProtocolNames.ErrorCodes.BadFrame, frame.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(frame.ErrorMessage));
        Assert.Null(frame.Type);
    }

    [Fact]
    public void CallFrameIsRead()
    {
        var json = """{"type":"call","id":7,"signal":"demo.echo","opts":{"text":"hi","n":[1,2]}}""";

        var frame = Parse(json);

        Assert.Null(frame.ErrorCode);
        Assert.Equal(ProtocolNames.FrameTypes.Call, frame.Type);
        Assert.Equal(7, frame.Id);
        Assert.Equal("demo.echo", frame.Signal);
        Assert.Equal("""{"text":"hi","n":[1,2]}""", frame.Opts?.ToJsonString());
        Assert.Equal("""{"text":"hi","n":[1,2]}""", frame.OptsJson);
        Assert.Equal(23, frame.OptsBytes);
    }

    [Fact]
    public void OptsAreKeptAsSentByteForByte()
    {
        const string opts = """{ "a" : "caf\u00e9 é" ,"b":[1, 2.50, {"c":null}] , "d":{} }""";

        var frame = Parse("""{"opts":""" + opts + """ ,"type":"call","signal":"s","id":3}""");

        Assert.Null(frame.ErrorCode);
        Assert.Equal(opts, frame.OptsJson);
        Assert.Equal(Encoding.UTF8.GetByteCount(opts), frame.OptsBytes);
        Assert.Equal("café é", (string?)frame.Opts!["a"]);
    }

    [Theory]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{"a":{"b":[{"c":1,"c":2}]}}}""")]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{"a":{"b":1},"a":2}}""")]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{"a":1,"\u0061":2}}""")]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k3":3}}""")]
    [InlineData("""{"type":"ping","future":[{"x":1,"y":{"z":1,"z":1}}]}""")]
    [InlineData("""{"type":"call","id":1,"signal":"s","\u0069d":1}""")]
    public void DuplicatePropertyAtAnyDepthIsABadFrame(string json)
    {
        AssertBadFrame(Parse(json));
    }

    [Theory]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{"a":{"x":1},"b":{"x":1},"x":[{"x":1},{"x":2}]}}""")]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"o":{"k3":3}}}""")]
    public void SameNameInDifferentObjectsIsFine(string json)
    {
        var frame = Parse(json);

        Assert.Null(frame.ErrorCode);
        Assert.Equal(json[(json.IndexOf("\"opts\":", StringComparison.Ordinal) + 7)..^1], frame.OptsJson);
    }

    [Theory]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{"a":[1,{"b":"x\ud800"}]}}""")]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{"a":[1,{"\udc00":"x"}]}}""")]
    [InlineData("""{"type":"ping","future":["\ud800\u0041"]}""")]
    public void LoneSurrogateEscapeAnywhereIsABadFrame(string json)
    {
        AssertBadFrame(Parse(json));
    }

    [Fact]
    public void SurrogatePairEscapeIsRead()
    {
        var frame = Parse("""{"type":"call","id":1,"signal":"s","opts":{"\ud83d\ude00":"\ud83d\ude00"}}""");

        Assert.Null(frame.ErrorCode);
        Assert.Equal("\U0001F600", (string?)frame.Opts!["\U0001F600"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("""{"type":"ping"} {}""")]
    [InlineData("""{"type":"ping"}x""")]
    [InlineData("""{"type":"ping",}""")]
    [InlineData("""{"type":"ping"/**/}""")]
    public void TextThatIsNotOneJsonValueIsABadFrame(string json)
    {
        AssertBadFrame(Parse(json));
    }

    [Theory]
    [InlineData("""{"type":"call","id":1,"signal":"s"}""")]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":null}""")]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{}}""")]
    public void CallWithoutOptsHasEmptyOpts(string json)
    {
        var frame = Parse(json);

        Assert.Null(frame.ErrorCode);
        Assert.Empty(frame.Opts!);
    }

    [Fact]
    public void LargestIdIsAccepted()
    {
        Assert.Equal(long.MaxValue, Parse($$"""{"type":"call","id":{{long.MaxValue}},"signal":"s"}""").Id);
    }

    [Fact]
    public void UnknownFieldsAreIgnored()
    {
        var frame = Parse("""{"type":"call","id":1,"signal":"s","opts":{},"future":{"x":[1]},"topic":"t"}""");

        Assert.Null(frame.ErrorCode);
        Assert.Equal("s", frame.Signal);
    }

    [Fact]
    public void ConnectFrameIsRead()
    {
        var frame = Parse("""{"type":"connect","v":1,"token":"CfDJ8abc","resume":{"t":[12,"e"]}}""");

        Assert.Null(frame.ErrorCode);
        Assert.Equal(ProtocolNames.FrameTypes.Connect, frame.Type);
        Assert.Equal(1, frame.Version);
        Assert.Equal("CfDJ8abc", frame.Token);
        Assert.Equal(new TopicPosition(12, "e"), frame.Positions!["t"]);
    }

    [Theory]
    [InlineData("""{"type":"connect","token":"t"}""")]
    [InlineData("""{"type":"connect","v":"1","token":"t"}""")]
    [InlineData("""{"type":"connect","v":1.5,"token":"t"}""")]
    public void ConnectWithoutAnIntegerVersionHasNoVersion(string json)
    {
        var frame = Parse(json);

        Assert.Equal(ProtocolNames.FrameTypes.Connect, frame.Type);
        Assert.Null(frame.Version);
    }

    [Fact]
    public void ConnectWithoutATokenHasNoToken()
    {
        Assert.Null(Parse("""{"type":"connect","v":1,"token":5}""").Token);
    }

    [Fact]
    public void PingFrameIsRead()
    {
        var frame = Parse("""{"type":"ping"}""");

        Assert.Null(frame.ErrorCode);
        Assert.Equal(ProtocolNames.FrameTypes.Ping, frame.Type);
    }

    [Fact]
    public void UnknownTypeIsReadSoTheConnectionCanAnswerUnknownFrame()
    {
        var frame = Parse("""{"type":"subscribe","id":3}""");

        Assert.Null(frame.ErrorCode);
        Assert.Equal("subscribe", frame.Type);
        Assert.Equal(3, frame.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{")]
    [InlineData("""{"type":"call",}""")]
    [InlineData("""{"type":"ping"} {"type":"ping"}""")]
    [InlineData("\"just a string\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("""[{"type":"ping"}]""")]
    public void FrameThatIsNotAJsonObjectIsABadFrame(string json)
    {
        AssertBadFrame(Parse(json));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"id":1}""")]
    [InlineData("""{"type":null}""")]
    [InlineData("""{"type":1}""")]
    [InlineData("""{"type":["call"]}""")]
    [InlineData("""{"type":{"name":"call"}}""")]
    public void FrameWithoutAStringTypeIsABadFrame(string json)
    {
        AssertBadFrame(Parse(json));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"1\"")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{}")]
    [InlineData("1e400")]
    [InlineData("9223372036854775808")]
    public void InvalidIdIsABadFrame(string id)
    {
        AssertBadFrame(Parse($$"""{"type":"call","id":{{id}},"signal":"s"}"""));
        AssertBadFrame(Parse($$"""{"type":"ping","id":{{id}}}"""));
    }

    [Theory]
    [InlineData("""{"type":"call","signal":"s","opts":{}}""")]
    [InlineData("""{"type":"call","id":null,"signal":"s"}""")]
    public void CallWithoutIdIsABadFrame(string json)
    {
        AssertBadFrame(Parse(json));
    }

    [Theory]
    [InlineData("""{"type":"call","id":4}""")]
    [InlineData("""{"type":"call","id":4,"signal":null}""")]
    [InlineData("""{"type":"call","id":4,"signal":5}""")]
    [InlineData("""{"type":"call","id":4,"signal":["s"]}""")]
    public void CallWithoutStringSignalIsABadFrameThatKeepsTheId(string json)
    {
        var frame = Parse(json);

        Assert.Equal(ProtocolNames.ErrorCodes.BadFrame, frame.ErrorCode);
        Assert.Equal(4, frame.Id);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("1")]
    [InlineData("true")]
    public void CallWithOptsThatAreNotAnObjectIsABadFrameThatKeepsIdAndSignal(string opts)
    {
        var frame = Parse($$"""{"type":"call","id":5,"signal":"demo.x","opts":{{opts}}}""");

        Assert.Equal(ProtocolNames.ErrorCodes.BadFrame, frame.ErrorCode);
        Assert.Equal(5, frame.Id);
        Assert.Equal("demo.x", frame.Signal);
    }

    [Fact]
    public void DeeplyNestedJsonIsABadFrame()
    {
        var json = """{"type":"call","id":1,"signal":"s","opts":{"a":""" + new string('[', 100) + new string(']', 100) + "}}";

        AssertBadFrame(Parse(json));
    }

    [Fact]
    public void InvalidUtf8IsABadFrame()
    {
        var frame = WithBytes("{\"type\":\"call\",\"id\":1,\"signal\":\"s\",\"opts\":{\"t\":\"", [0xC3, 0x28], "\"}}");

        AssertBadFrame(FrameReader.Parse(frame));
    }

    [Fact]
    public void InvalidUtf8InTheTypeIsABadFrame()
    {
        var frame = WithBytes("{\"type\":\"", [0xFF, 0xFE], "\"}");

        AssertBadFrame(FrameReader.Parse(frame));
    }

    [Fact]
    public void InvalidUtf8InAPropertyNameIsABadFrame()
    {
        var frame = WithBytes("{\"type\":\"ping\",\"", [0xED, 0xA0, 0x80], "\":1}");

        AssertBadFrame(FrameReader.Parse(frame));
    }

    [Theory]
    [InlineData("""{"type":"call","id":1,"id":2,"signal":"s"}""")]
    [InlineData("""{"type":"ping","type":"call"}""")]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{"a":1,"a":2}}""")]
    public void DuplicatePropertyIsABadFrame(string json)
    {
        AssertBadFrame(Parse(json));
    }

    [Theory]
    [InlineData("""{"type":"\ud800"}""")]
    [InlineData("""{"type":"call","id":1,"signal":"\udc00x"}""")]
    [InlineData("""{"type":"ping","\ud800":1}""")]
    [InlineData("""{"type":"call","id":1,"signal":"s","opts":{"\ud800":"\udfff\ud800"}}""")]
    public void LoneSurrogateEscapeNeverEscapes(string json)
    {
        var frame = Parse(json);

        Assert.True(frame.ErrorCode is not null || frame.Type is not null);
        _ = frame.Opts?.ToJsonString();
    }
}
