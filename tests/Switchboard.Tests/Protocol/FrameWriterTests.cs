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

        Assert.Equal(["heartbeat", "pos", "recovered", "signals", "type", "v"], Fields(frame));
        Assert.Equal("hello", (string?)frame["type"]);
        Assert.Equal(ProtocolNames.Version, (int?)frame["v"]);
        Assert.Equal(["demo.echo", "demo.chat.post"], frame["signals"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(25000, (long?)frame["heartbeat"]);
    }

    [Fact]
    public void HelloWithNoCallableSignalHasAnEmptyList()
    {
        Assert.Empty(Read(FrameWriter.Hello([], TimeSpan.FromSeconds(1)))["signals"]!.AsArray());
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
        ];

        foreach (var frame in frames)
        {
            using var document = JsonDocument.Parse(WebSocketFraming.PayloadMemory(frame));
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            Assert.Null(FrameReader.Parse(WebSocketFraming.Payload(frame)).ErrorCode);
        }
    }
}
