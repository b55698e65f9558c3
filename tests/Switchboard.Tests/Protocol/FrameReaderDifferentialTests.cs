using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Internal.Protocol;

namespace Switchboard.Tests.Protocol;

/// <summary>
/// The DOM-free <see cref="FrameReader"/> answers every frame exactly as the JsonNode-based reader it replaced
/// (<see cref="DomFrameReader"/>): same error and message, same fields, same opts. Seeded, so a failure replays.
/// </summary>
public sealed class FrameReaderDifferentialTests
{
    private static readonly string[] Seeds =
    [
        """{"type":"call","id":1,"signal":"demo.echo","opts":{"text":"hi","n":[1,2.5,null,true],"o":{"k":"v","l":{"k":"w"}}}}""",
        """{"type":"connect","v":1,"token":"CfDJ8abcdef","resume":{"t1":[3,"e1"],"t2":[0,"e2"]}}""",
        """{"type":"resume","id":4,"pos":{"t1":[3,"e1"]}}""",
        """{"type":"ping","id":null}""",
        """{"type":"call","id":9007199254740993,"signal":"a.b_c","opts":{"caf\u00e9":"\u4e16\u754c","esc":"\"\\\n\u0000","\ud83d\ude00":[{"a":1},{"a":2}]}}""",
        """{"ty\u0070e":"c\u0061ll","\u0069d":2,"signal":"s","opts":null}""",
        """{"type":"invoke","id":7,"signal":"demo.add","opts":{"a":2,"b":3}}""",
    ];

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0061", "null", "true", "-", "0",
        "1.0", "1e999", "9223372036854775808", "\"type\"", "\"call\"", "\"invoke\"", "\"id\"", "\"signal\"", "\"opts\"", "\"v\"", "\"token\"",
        "\"resume\"", "\"pos\"", "\"a\":1,", ",\"a\":2", "\"k\":{\"k\":1}", " ", "\u00e9", "\u4e16",
    ];

    [Fact]
    public void MutatedFramesGetTheSameAnswer()
    {
        var random = new Random(90210);
        for (var i = 0; i < 6000; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(Seeds[i % Seeds.Length]).ToList();
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations && bytes.Count > 0; m++)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0:
                        bytes.RemoveAt(at);
                        break;
                    case 1:
                        bytes[at] = (byte)random.Next(0x20, 0x7F);
                        break;
                    default:
                        bytes.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)]));
                        break;
                }
            }
            AssertSameAnswer([.. bytes]);
        }
    }

    [Fact]
    public void GeneratedFramesGetTheSameAnswer()
    {
        var random = new Random(31337);
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 4000; i++)
        {
            var text = new StringBuilder("{");
            var fields = new[] { "type", "id", "signal", "opts", "v", "token", "resume", "pos", "other" };
            var first = true;
            foreach (var field in fields.OrderBy(_ => random.Next()))
            {
                if (random.Next(3) == 0)
                {
                    continue;
                }
                text.Append(first ? "" : ",").Append(Name(random, field)).Append(':').Append(Value(random, field, 0));
                first = false;
            }
            var answer = AssertSameAnswer(Encoding.UTF8.GetBytes(text.Append('}').ToString()));
            answers[answer] = answers.GetValueOrDefault(answer) + 1;
        }
        // The generator reaches every branch: calls with opts, duplicates and lone surrogates, each kind of bad field.
        Assert.True(answers.GetValueOrDefault("call") > 25, string.Join(", ", answers));
        Assert.True(answers.GetValueOrDefault("The frame is not valid JSON.") > 200, string.Join(", ", answers));
        Assert.True(answers.Count >= 10, string.Join(", ", answers));
    }

    private static string Name(Random random, string name) => random.Next(8) switch
    {
        0 => "\"\\u" + ((int)name[0]).ToString("x4") + name[1..] + "\"",
        _ => "\"" + name + "\"",
    };

    private static string Value(Random random, string field, int depth) => (field, random.Next(depth > 3 ? 6 : 9)) switch
    {
        ("type", < 5) => "\"" + new[] { "call", "ping", "connect", "resume", "c\\u0061ll", "pong" }[random.Next(6)] + "\"",
        ("id" or "v", < 6) => new[] { "1", "0", "-3", "2.0", "1e3", "9223372036854775807", "9223372036854775808", "\"1\"", "null" }[random.Next(9)],
        ("id" or "v", _) => "1",
        ("signal", < 7) => "\"a.b\"",
        ("opts", < 6) => Object(random, 1),
        ("resume" or "pos", < 5) => "{\"t\":[" + random.Next(-1, 3) + ",\"e\"]" + (random.Next(6) == 0 ? ",\"t\":[1,\"e\"]" : "") + "}",
        (_, 0) => "null",
        (_, 1) => random.Next(-2, 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
        (_, 2) => "true",
        (_, 3) when random.Next(12) == 0 => "\"" + new[] { "\\ud800", "x\\udc00y" }[random.Next(2)] + "\"",
        (_, 3) => "\"" + new[] { "s", "a.b", "\\ud83d\\ude00", "caf\\u00e9", "é\\n" }[random.Next(5)] + "\"",
        (_, 4 or 5) => "[" + string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => Value(random, "", depth + 1))) + "]",
        _ => Object(random, depth),
    };

    /// <summary>An object with names drawn from a small set (so duplicates happen), sometimes more than 16 of them.</summary>
    private static string Object(Random random, int depth)
    {
        var count = depth <= 1 && random.Next(15) == 0 ? random.Next(15, 30) : random.Next(4);
        var pool = count > 10 ? 150 : 24;
        var members = Enumerable.Range(0, count).Select(_ => Name(random, "k" + random.Next(pool)) + ":" + Value(random, "", depth + 1));
        return "{" + string.Join(",", members) + "}";
    }

    /// <summary>Asserts both readers agree; returns the answer (the error message, or the frame type).</summary>
    private static string AssertSameAnswer(byte[] bytes)
    {
        var (expected, expectedOpts) = DomFrameReader.Parse(bytes);
        var actual = FrameReader.Parse(bytes);
        var shown = Encoding.UTF8.GetString(bytes);
        Assert.True(expected.ErrorMessage == actual.ErrorMessage, $"{shown}: expected error '{expected.ErrorMessage}', got '{actual.ErrorMessage}'");
        Assert.True(
            (expected.ErrorCode, expected.Type, expected.Id, expected.Signal, expected.Version, expected.Token)
            == (actual.ErrorCode, actual.Type, actual.Id, actual.Signal, actual.Version, actual.Token),
            $"{shown}: expected {expected}, got {actual}");
        Assert.True(JsonNode.DeepEquals(expectedOpts, actual.Opts), $"{shown}: expected opts {expectedOpts?.ToJsonString()}, got {actual.OptsJson}");
        Assert.Equal(expected.Positions?.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Positions?.OrderBy(p => p.Key, StringComparer.Ordinal));
        if (actual.OptsJson is { } opts)
        {
            Assert.Equal(Encoding.UTF8.GetByteCount(opts), actual.OptsBytes);
        }
        return actual.ErrorMessage ?? actual.Type!;
    }
}
