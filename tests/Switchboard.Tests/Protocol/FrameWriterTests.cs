using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Internal.Protocol;

namespace Switchboard.Tests.Protocol;

public sealed class FrameWriterTests
{
    private const string Awkward = "quote \" backslash \\ newline \n </script> caf\u00e9 \u4e16\u754c \U0001F600";

    private static JsonObject Read(byte[] frame) => Assert.IsType<JsonObject>(JsonNode.Parse(WebSocketFraming.Payload(frame)));

    private static string[] Fields(JsonObject frame) => [.. frame.Select(p => p.Key).Order(StringComparer.Ordinal)];

    [Fact]
    public void SignalFrameCarriesSignalOptsAndSignalId()
    {
        var frame = Read(FrameWriter.Signal("demo.chat.message", """{"room":"lobby","n":[1,2]}""", "abc123"));

        Assert.Equal(["opts", "signal", "signal_id", "type"], Fields(frame));
        Assert.Equal("signal", (string?)frame["type"]);
        Assert.Equal("demo.chat.message", (string?)frame["signal"]);
        Assert.Equal("abc123", (string?)frame["signal_id"]);
        Assert.Equal("""{"room":"lobby","n":[1,2]}""", frame["opts"]!.ToJsonString());
    }

    [Fact]
    public void HelloFrameCarriesVersionSignalsAndHeartbeatInMilliseconds()
    {
        var frame = Read(FrameWriter.Hello(["demo.echo", "demo.chat.post"], TimeSpan.FromSeconds(25)));

        Assert.Equal(["functions", "heartbeat", "pos", "recovered", "signals", "type", "v"], Fields(frame));
        Assert.Equal("hello", (string?)frame["type"]);
        Assert.Equal(ProtocolNames.Version, (int?)frame["v"]);
        Assert.Equal(["demo.echo", "demo.chat.post"], frame["signals"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(25000, (long?)frame["heartbeat"]);
    }

    [Fact]
    public void HelloWithNoCallableSignalHasAnEmptyList()
    {
        Assert.Empty(Read(FrameWriter.Hello([], TimeSpan.FromSeconds(1)))["signals"]!.AsArray());
        Assert.Empty(Read(FrameWriter.Hello([], TimeSpan.FromSeconds(1)))["functions"]!.AsArray());
    }

    [Fact]
    public void HelloListsTheFunctionsGiven()
    {
        var frame = Read(FrameWriter.Hello(["demo.echo"], TimeSpan.FromSeconds(1), functions: ["demo.add", "demo.fail"]));

        Assert.Equal(["demo.add", "demo.fail"], frame["functions"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(["demo.echo"], frame["signals"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public void ResultBodyCarriesIdValueAndSignalIdAndGetsPositionsWhenSequenced()
    {
        var body = FrameWriter.ResultBody(7, """{"sum":5,"text":"café"}"""u8, SignalId.From("job1"));
        var frame = Read(FrameWriter.Sequenced(body, ["-window.k"], [new TopicPosition(4, "e")]));

        Assert.Equal(["id", "pos", "signal_id", "type", "value"], Fields(frame));
        Assert.Equal("result", (string?)frame["type"]);
        Assert.Equal(7, (long?)frame["id"]);
        Assert.Equal("""{"sum":5,"text":"café"}""", frame["value"]!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal("job1", (string?)frame["signal_id"]);
        Assert.Equal(4, (long?)frame["pos"]![TopicIds.Of("-window.k")]![0]);
    }

    [Fact]
    public void ResultOfNullHasAValueMemberThatIsNull()
    {
        var frame = Read(FrameWriter.Unsequenced(FrameWriter.ResultBody(1, SwitchboardJson.SerializeValue(null), SignalId.From("j"))));

        Assert.True(frame.ContainsKey("value"));
        Assert.Null(frame["value"]);
    }

    [Fact]
    public void ResultErrorBodyCarriesTheErrorObjectInsteadOfAValue()
    {
        var frame = Read(FrameWriter.Unsequenced(FrameWriter.ResultErrorBody(3, ProtocolNames.ErrorCodes.HandlerFailed, Awkward, SignalId.From("j"))));

        Assert.Equal(["error", "id", "signal_id", "type"], Fields(frame));
        Assert.Equal(3, (long?)frame["id"]);
        Assert.Equal("handler_failed", (string?)frame["error"]!["code"]);
        Assert.Equal(Awkward, (string?)frame["error"]!["message"]);
    }

    [Fact]
    public void RefusedResultHasNoSignalIdNorPositions()
    {
        var frame = Read(FrameWriter.ResultRefused(long.MaxValue, ProtocolNames.ErrorCodes.Forbidden, "no"));

        Assert.Equal(["error", "id", "type"], Fields(frame));
        Assert.Equal("result", (string?)frame["type"]);
        Assert.Equal(long.MaxValue, (long?)frame["id"]);
        Assert.Equal(["code", "message"], Fields(frame["error"]!.AsObject()));
        Assert.Equal("forbidden", (string?)frame["error"]!["code"]);
    }

    [Fact]
    public void FunctionValuesAreSerializedWithTheLibrarysJsonOptionsAsTheirRuntimeType()
    {
        object value = new DerivedValue { Name = "n", Extra = 2, Level = DayOfWeek.Monday };

        var json = JsonNode.Parse(SwitchboardJson.SerializeValue(value));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"extra":2,"name":"n","level":"Monday"}"""), json), json!.ToJsonString());
    }

    private class BaseValue
    {
        public string? Name { get; init; }

        public DayOfWeek Level { get; init; }
    }

    private sealed class DerivedValue : BaseValue
    {
        public int Extra { get; init; }
    }

    [Fact]
    public void AcceptedFrameCarriesIdAndJobCount()
    {
        var frame = Read(FrameWriter.Accepted(long.MaxValue, 2));

        Assert.Equal(["id", "jobs", "type"], Fields(frame));
        Assert.Equal("accepted", (string?)frame["type"]);
        Assert.Equal(long.MaxValue, (long?)frame["id"]);
        Assert.Equal(2, (int?)frame["jobs"]);
    }

    [Fact]
    public void RefusedFrameCarriesIdCodeAndMessage()
    {
        var frame = Read(FrameWriter.Refused(3, ProtocolNames.ErrorCodes.Forbidden, Awkward));

        Assert.Equal(["code", "id", "message", "type"], Fields(frame));
        Assert.Equal("refused", (string?)frame["type"]);
        Assert.Equal(3, (long?)frame["id"]);
        Assert.Equal("forbidden", (string?)frame["code"]);
        Assert.Equal(Awkward, (string?)frame["message"]);
    }

    [Fact]
    public void ErrorFrameCarriesOptionalIdAndSignalOnlyWhenGiven()
    {
        var bare = Read(FrameWriter.Error(ProtocolNames.ErrorCodes.BadFrame, "bad"));
        var full = Read(FrameWriter.Error(ProtocolNames.ErrorCodes.HandlerFailed, Awkward, 9, "demo.x"));

        Assert.Equal(["code", "message", "type"], Fields(bare));
        Assert.Equal("error", (string?)bare["type"]);
        Assert.Equal(["code", "id", "message", "signal", "type"], Fields(full));
        Assert.Equal("handler_failed", (string?)full["code"]);
        Assert.Equal(Awkward, (string?)full["message"]);
        Assert.Equal(9, (long?)full["id"]);
        Assert.Equal("demo.x", (string?)full["signal"]);
    }

    [Fact]
    public void PongFrameHasOnlyItsType()
    {
        var frame = Read(FrameWriter.Pong);

        Assert.Equal(["type"], Fields(frame));
        Assert.Equal("pong", (string?)frame["type"]);
    }

    [Fact]
    public void EveryFrameIsOneUtf8JsonObjectThatTheReaderAccepts()
    {
        byte[][] frames =
        [
            FrameWriter.Signal("s", "{}", "id"), FrameWriter.Hello(["a"], TimeSpan.FromSeconds(1)), FrameWriter.Accepted(1, 1),
            FrameWriter.Refused(1, "c", Awkward), FrameWriter.Error("c", Awkward, 1, "s"), FrameWriter.Pong,
            FrameWriter.ResultRefused(1, "c", Awkward), FrameWriter.Unsequenced(FrameWriter.ResultBody(1, "[1,{}]"u8, SignalId.From("j"))),
            FrameWriter.Unsequenced(FrameWriter.ResultErrorBody(1, "c", Awkward, SignalId.From("j"))),
        ];

        foreach (var frame in frames)
        {
            using var document = JsonDocument.Parse(WebSocketFraming.PayloadMemory(frame));
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            Assert.Null(FrameReader.Parse(WebSocketFraming.Payload(frame)).ErrorCode);
        }
    }
}
