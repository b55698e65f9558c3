namespace Switchboard.Redis.Tests.MultiProcess;

/// <summary>
/// One trace across two processes on Redis (docs/operations.md, Traces): a browser call on a web node, its job run by a
/// worker process, and the handler's own outgoing call a child of the handler there. The demo processes run the
/// OpenTelemetry SDK with <c>--Demo:PrintSpans=true</c>, which writes each finished span as a <c>span: {json}</c> line
/// on standard output: the test reads the real spans of both processes without a collector.
/// </summary>
public sealed class TracingProcessTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    [RedisFact]
    public async Task ABrowserCallOnTheWebNodeContinuesInTheWorkerProcessAndTheHandlersCallIsItsChild()
    {
        await using var cluster = new DemoCluster(redis.Configuration, redis.Prefix + "tracing:", output);
        var (web, address) = await cluster.StartWebNodeAsync("web", "--Demo:PrintSpans=true");
        var worker = cluster.StartWorker("worker", "default", "--Demo:PrintSpans=true");
        await DemoCluster.WaitServingAsync(worker, "default");
        var window = await cluster.OpenWindowAsync(address, "/");
        var text = "traced " + Guid.NewGuid().ToString("N")[..8];

        (await window.CallAsync("demo.echo", new { text })).EnsureAccepted();
        await window.NextSignalAsync("demo.echoed", o => o.Str("text") == text);

        var call = await SpanAsync(web, s => Name(s) == "switchboard.browser_call" && Tag(s, "switchboard.signal") == "demo.echo", "the browser call");
        var enqueue = await SpanAsync(web, s => Name(s) == "switchboard.enqueue" && Parent(s) == Id(call), "its enqueue");
        var job = await SpanAsync(worker, s => Name(s) == "switchboard.job" && Trace(s) == Trace(call), "the job in the worker");
        Assert.Equal(Id(enqueue), Parent(job));
        Assert.Equal("Consumer", job.GetProperty("kind").GetString());
        Assert.Equal("default", Tag(job, "messaging.destination.name"));
        Assert.Equal(Tag(enqueue, "messaging.message.id"), Tag(job, "messaging.message.id"));
        Assert.Equal("1", Tag(job, "switchboard.job.attempt"));
        var handler = await SpanAsync(worker, s => Name(s) == "switchboard.handler" && Parent(s) == Id(job), "the handler");
        Assert.Equal("demo.echo", Tag(handler, "switchboard.signal"));
        var own = await SpanAsync(worker, s => Name(s) == "switchboard.call" && Parent(s) == Id(handler), "the handler's own call");
        Assert.Equal("demo.echoed", Tag(own, "switchboard.signal"));
        Assert.Equal(Trace(call), Trace(own));
        var publish = await SpanAsync(worker, s => Name(s) == "switchboard.publish" && Parent(s) == Id(own), "its publish");
        Assert.Equal(Trace(call), Trace(publish));
        // No span of the trace was left in the web node's process for the worker's part.
        Assert.DoesNotContain(Spans(web), s => Trace(s) == Trace(call) && Name(s) is "switchboard.job" or "switchboard.handler");
    }

    private static IEnumerable<JsonElement> Spans(DemoProcess process) =>
        process.Lines.Where(l => l.StartsWith("span: ", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l[6..]).RootElement);

    /// <summary>Waits for a span line of <paramref name="process"/> matching <paramref name="match"/>.</summary>
    private static async Task<JsonElement> SpanAsync(DemoProcess process, Func<JsonElement, bool> match, string description)
    {
        var line = await process.WaitForLineAsync(
            l => l.StartsWith("span: ", StringComparison.Ordinal) && match(JsonDocument.Parse(l[6..]).RootElement), description, DemoCluster.FrameTimeout);
        return JsonDocument.Parse(line[6..]).RootElement;
    }

    private static string? Name(JsonElement span) => span.GetProperty("name").GetString();

    private static string? Id(JsonElement span) => span.GetProperty("spanId").GetString();

    private static string? Parent(JsonElement span) => span.GetProperty("parentSpanId").GetString();

    private static string? Trace(JsonElement span) => span.GetProperty("traceId").GetString();

    private static string? Tag(JsonElement span, string name) =>
        span.GetProperty("tags").TryGetProperty(name, out var value) ? value.GetString() : null;
}
