using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests;

/// <summary>
/// The Redis job format and trace context (docs/operations.md, Traces): a job carries <c>traceparent</c> and
/// <c>tracestate</c> when queued inside a trace, writes neither when not, and a job queued by an older version (no such
/// members) still reads, every other field intact.
/// </summary>
public sealed class RedisJobSerializerTests
{
    [Fact]
    public void AJobWrittenBeforeTraceContextExistedStillReads()
    {
        // The format as it was (captured from the previous version's serializer): no traceparent, no tracestate.
        const string old = """
            {"id":"a1","kind":0,"queue":"default","signal":"demo.echo","window":null,"kwargs":"{\u0022text\u0022:\u0022hi\u0022}",
            "handlers":["demo.echo#delegate1"],"from_client":true,"call_id":7,"topics":[],"signal_id":null,
            "created_at":"2026-12-06T05:00:00+00:00","not_before":null,"expires_at":null,"ordering_key":"w1","invoke":false,"attempt":2}
            """;

        var job = RedisJobSerializer.Deserialize(old.ReplaceLineEndings(""));

        Assert.NotNull(job);
        Assert.Null(job.TraceParent);
        Assert.Null(job.TraceState);
        Assert.Equal(("a1", "demo.echo", """{"text":"hi"}""", 7L, "w1", 2), (job.Id, job.Signal, job.Kwargs, job.CallId!.Value, job.OrderingKey!, job.Attempt));
    }

    [Fact]
    public void TraceContextIsWrittenOnlyWhenThereIsOneAndReadBack()
    {
        var plain = new SignalJob { Id = "p", Queue = "default", Signal = "s" };
        var traced = new SignalJob
        {
            Id = "t", Queue = "default", Signal = "s",
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", TraceState = "congo=t61rcWkgMzE",
        };

        Assert.DoesNotContain("trace", RedisJobSerializer.Serialize(plain), StringComparison.Ordinal);
        var back = RedisJobSerializer.Deserialize(RedisJobSerializer.Serialize(traced))!;
        Assert.Equal(traced.TraceParent, back.TraceParent);
        Assert.Equal("congo=t61rcWkgMzE", back.TraceState);
        // A retry keeps its trace.
        Assert.Equal(traced.TraceParent, back.WithAttempt(1, null).TraceParent);
    }

    [Fact]
    public void WindowExtensionsTravelWithTheJobAndAWindowWithoutThemReadsEmpty()
    {
        var window = new WindowInfo
        {
            WindowKey = "w1", UserId = "ada", IsAuthenticated = true,
            Extensions = new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["tenant"] = System.Text.Json.JsonSerializer.SerializeToElement(new { id = "acme", seats = 3 }),
                ["theme"] = System.Text.Json.JsonSerializer.SerializeToElement("d\u00e9j\u00e0 dark"),
            },
        };
        var job = new SignalJob { Id = "x", Queue = "default", Signal = "s", Window = window };

        var back = RedisJobSerializer.Deserialize(RedisJobSerializer.Serialize(job))!;
        var old = RedisJobSerializer.Deserialize("""{"id":"a1","queue":"default","signal":"s","window":{"window_key":"w1"}}""")!;

        Assert.Equal(3, back.Window!.GetExtension<System.Text.Json.JsonElement>("tenant").GetProperty("seats").GetInt32());
        Assert.Equal("d\u00e9j\u00e0 dark", back.Window.GetExtension<string>("theme"));
        Assert.Empty(old.Window!.Extensions);
    }
}
