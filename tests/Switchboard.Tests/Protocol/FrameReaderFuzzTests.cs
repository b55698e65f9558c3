using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Internal.Protocol;

namespace Switchboard.Tests.Protocol;

/// <summary>
/// Whatever bytes a browser sends, <see cref="FrameReader.Parse"/> returns a frame (valid or <c>bad_frame</c>) and
/// never throws; and what it returns can be used (opts serialize, fields are consistent). Seeded, so a failure replays.
/// </summary>
public sealed class FrameReaderFuzzTests
{
    private static readonly string[] ValidFrames =
    [
        """{"type":"call","id":1,"signal":"demo.echo","opts":{"text":"hi","n":[1,2.5,null,true],"o":{"k":"v"}}}""",
        """{"type":"connect","v":1,"token":"CfDJ8abcdef"}""",
        """{"type":"ping"}""",
        """{"type":"call","id":9007199254740993,"signal":"a.b_c","opts":{"caf\u00e9":"\u4e16\u754c","esc":"\"\\\n\u0000"}}""",
    ];

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud800", "\\udc00", "null", "true", "false", "-", "0", "1e999", "9223372036854775808",
        "\"type\"", "\"call\"", "\"connect\"", "\"ping\"", "\"id\"", "\"signal\"", "\"opts\"", "\"v\"", "\"token\"", " ", "\u00e9", "\u4e16",
    ];

    [Fact]
    public void RandomBytesNeverThrow()
    {
        var random = new Random(20260101);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 96)];
            random.NextBytes(bytes);
            AssertUsable(bytes, i);
        }
    }

    [Fact]
    public void MutatedValidFramesNeverThrow()
    {
        var random = new Random(424242);
        for (var i = 0; i < 4000; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(ValidFrames[i % ValidFrames.Length]).ToList();
            var mutations = random.Next(1, 5);
            for (var m = 0; m < mutations && bytes.Count > 0; m++)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(5))
                {
                    case 0:
                        bytes[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        bytes.RemoveAt(at);
                        break;
                    case 2:
                        bytes.Insert(at, (byte)random.Next(256));
                        break;
                    case 3:
                        bytes.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]));
                        break;
                    default:
                        bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 8)));
                        break;
                }
            }
            AssertUsable([.. bytes], i);
        }
    }

    [Fact]
    public void FramesWithRandomFieldValuesNeverThrow()
    {
        var random = new Random(777);
        for (var i = 0; i < 3000; i++)
        {
            var frame = new JsonObject();
            foreach (var field in new[] { "type", "id", "signal", "opts", "v", "token" })
            {
                if (random.Next(4) != 0)
                {
                    frame[field] = RandomValue(random, depth: 0, field);
                }
            }
            AssertUsable(Encoding.UTF8.GetBytes(frame.ToJsonString()), i);
        }
    }

    private static JsonNode? RandomValue(Random random, int depth, string field) => random.Next(depth > 2 ? 5 : 7) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(-2, 3)),
        2 => JsonValue.Create(random.NextDouble() * 1e20),
        3 => JsonValue.Create(field == "type" ? new[] { "call", "invoke", "connect", "ping", "pong", "" }[random.Next(6)] : RandomString(random)),
        4 => JsonValue.Create(random.Next(2) == 0),
        5 => new JsonArray(RandomValue(random, depth + 1, field), RandomValue(random, depth + 1, field)),
        _ => new JsonObject { [RandomString(random)] = RandomValue(random, depth + 1, field) },
    };

    private static string RandomString(Random random)
    {
        var chars = new char[random.Next(0, 6)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next(0x20, 0x3000);
        }
        return new string(chars);
    }

    private static void AssertUsable(byte[] bytes, int iteration)
    {
        ClientFrame frame;
        try
        {
            frame = FrameReader.Parse(bytes);
            // What the connection does next with a call must not throw either.
            _ = frame.Opts?.ToJsonString();
            _ = frame.Opts?.Select(p => p.Key).ToList();
        }
        catch (Exception e)
        {
            Assert.Fail($"Iteration {iteration}: {e.GetType().Name} escaped for frame {Convert.ToHexString(bytes)} ({e.Message})");
            return;
        }
        if (frame.ErrorCode is not null)
        {
            Assert.Equal(ProtocolNames.ErrorCodes.BadFrame, frame.ErrorCode);
            Assert.Null(frame.Type);
        }
        else
        {
            Assert.NotNull(frame.Type);
            if (frame.Type is ProtocolNames.FrameTypes.Call or ProtocolNames.FrameTypes.Invoke)
            {
                Assert.True(frame.Id >= 1 && frame.Signal is not null && frame.Opts is not null, $"Iteration {iteration}: incomplete {frame.Type} accepted.");
            }
        }
    }
}
