using System.Diagnostics;

namespace Switchboard.FunctionalTests;

/// <summary>
/// The spans of the <c>Switchboard</c> activity source (docs/operations.md, Traces), one process: a browser call is one
/// trace from the frame to the handler's own call and its delivery; a C# call inside an ambient trace (an HTTP request)
/// continues it through the job, and through a delayed delivery job too; failures and refusals mark their spans.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task ABrowserCallIsOneTraceFromTheFrameThroughTheJobToTheHandlersOwnCallAndItsDelivery()
    {
        using var spans = new SpanRecorder();
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync("trace.echo", new { text = "one" })).AssertAccepted();
        await window.NextSignalAsync("trace.echoed");

        var call = await spans.WaitForAsync(s => s.DisplayName == "switchboard.browser_call" && Tag(s, "switchboard.signal") == "trace.echo", "browser_call");
        var job = await spans.WaitForAsync(s => s.DisplayName == "switchboard.job" && s.TraceId == call.TraceId, "job in the call's trace");
        var trace = spans.Trace(call.TraceId);
        Assert.Equal(ActivityKind.Server, call.Kind);
        Assert.Equal(default, call.ParentSpanId);
        Assert.Equal("call", Tag(call, "switchboard.call.type"));
        Assert.Equal("accepted", Tag(call, "switchboard.outcome"));
        Assert.Equal("1", Tag(call, "switchboard.jobs"));

        var permission = Single(trace, "switchboard.permission", call);
        Assert.Equal("trace.echo", Tag(permission, "switchboard.signal"));
        var enqueue = Single(trace, "switchboard.enqueue", call);
        Assert.Equal(ActivityKind.Producer, enqueue.Kind);
        Assert.Equal("switchboard", Tag(enqueue, "messaging.system"));
        Assert.Equal("send", Tag(enqueue, "messaging.operation.type"));
        Assert.Equal("default", Tag(enqueue, "messaging.destination.name"));

        Assert.Equal(enqueue.SpanId, job.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, job.Kind);
        Assert.Equal("process", Tag(job, "messaging.operation.type"));
        Assert.Equal("default", Tag(job, "messaging.destination.name"));
        Assert.Equal(Tag(enqueue, "messaging.message.id"), Tag(job, "messaging.message.id"));
        Assert.Equal("1", Tag(job, "switchboard.job.attempt"));
        var handler = Single(trace, "switchboard.handler", job);
        Assert.Equal("trace.echo", Tag(handler, "switchboard.signal"));
        Assert.Equal("succeeded", Tag(handler, "switchboard.outcome"));
        var own = Single(trace, "switchboard.call", handler);
        Assert.Equal("trace.echoed", Tag(own, "switchboard.signal"));
        var publish = Single(trace, "switchboard.publish", own);
        Assert.Equal("1", Tag(publish, "switchboard.topics.count"));
        var deliver = Single(trace, "switchboard.deliver", publish);
        Assert.Equal("1", Tag(deliver, "switchboard.windows"));
    }

    [Fact]
    public async Task ACallInAnAmbientTraceContinuesItThroughTheJobAndThroughADelayedDelivery()
    {
        using var spans = new SpanRecorder();
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);
        var info = host.ReadToken(window.Token!);

        // What ASP.NET Core does for a request: an activity of its own, current while the endpoint runs.
        var request = new Activity("test.request").Start();
        await host.Signals.CallAsync(info, "trace.echo", [Destination.Server], new { text = "from C#" });
        await host.Signals.CallAsync(info, "trace.later", [Destination.Window], new { n = 1 }, countdown: TimeSpan.FromMilliseconds(100));
        request.Stop();
        await window.NextSignalAsync("trace.echoed");
        await window.NextSignalAsync("trace.later");

        var server = await spans.WaitForAsync(s => s.DisplayName == "switchboard.job" && s.TraceId == request.TraceId
            && Tag(s, "switchboard.job.kind") == "server", "the server job in the request's trace");
        var delayed = await spans.WaitForAsync(s => s.DisplayName == "switchboard.job" && s.TraceId == request.TraceId
            && Tag(s, "switchboard.job.kind") == "deliver", "the delivery job in the request's trace");
        var trace = spans.Trace(request.TraceId);
        var calls = trace.Where(s => s.DisplayName == "switchboard.call" && s.ParentSpanId == request.SpanId).ToList();
        Assert.Equal(["trace.echo", "trace.later"], calls.Select(c => Tag(c, "switchboard.signal")).Order());
        var toServer = calls.Single(c => Tag(c, "switchboard.signal") == "trace.echo");
        Assert.Equal(Single(trace, "switchboard.enqueue", toServer).SpanId, server.ParentSpanId);
        var later = calls.Single(c => Tag(c, "switchboard.signal") == "trace.later");
        Assert.Equal("True", Tag(later, "switchboard.call.delayed"));
        var laterEnqueue = Single(trace, "switchboard.enqueue", later);
        Assert.Equal("switchboard.deliveries", Tag(laterEnqueue, "messaging.destination.name"));
        Assert.Equal(laterEnqueue.SpanId, delayed.ParentSpanId);
        // The delivery job publishes, and the message reaches the window, in the same trace.
        var publish = Single(trace, "switchboard.publish", delayed);
        Assert.Equal("1", Tag(Single(trace, "switchboard.deliver", publish), "switchboard.windows"));
        // The handler's own call is a child of the handler, in the request's trace too.
        Single(trace, "switchboard.call", Single(trace, "switchboard.handler", server));
    }

    [Fact]
    public async Task AFailedHandlerAndARefusedCallMarkTheirSpansAsErrors()
    {
        using var spans = new SpanRecorder();
        await using var host = await StartAsync();
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync("trace.fail")).AssertAccepted();
        await window.NextFrameAsync(f => f.IsError("handler_failed"), "handler_failed");
        (await window.CallAsync("trace.staff")).AssertRefused("forbidden");

        var failed = await spans.WaitForAsync(s => s.DisplayName == "switchboard.handler" && Tag(s, "switchboard.signal") == "trace.fail", "the failed handler");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("failed", Tag(failed, "switchboard.outcome"));
        Assert.Equal(typeof(SignalException).FullName, Tag(failed, "error.type"));
        var refused = await spans.WaitForAsync(s => s.DisplayName == "switchboard.browser_call" && Tag(s, "switchboard.signal") == "trace.staff", "the refused call");
        Assert.Equal(ActivityStatusCode.Error, refused.Status);
        Assert.Equal("refused", Tag(refused, "switchboard.outcome"));
        Assert.Equal("forbidden", Tag(refused, "switchboard.refusal.code"));
        Assert.DoesNotContain(spans.Trace(refused.TraceId), s => s.DisplayName == "switchboard.enqueue");
    }

    private static string? Tag(Activity span, string name) =>
        span.GetTagItem(name) is { } value ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The one span named <paramref name="name"/> whose parent is <paramref name="parent"/>.</summary>
    private static Activity Single(IReadOnlyList<Activity> trace, string name, Activity parent)
    {
        var found = trace.Where(s => s.DisplayName == name && s.ParentSpanId == parent.SpanId).ToList();
        Assert.True(found.Count == 1, $"Expected one {name} under {parent.DisplayName}; the trace has: "
            + string.Join(", ", trace.Select(s => $"{s.DisplayName}({s.SpanId}<-{s.ParentSpanId})")));
        return found[0];
    }

    private static Task<SwitchboardHost> StartAsync() =>
        SwitchboardHost.StartAsync(o => o.Signals = s =>
        {
            s.MapSignal("trace.echo", (WindowInfo w, ISignals signals, string text) =>
                signals.CallAsync(w, "trace.echoed", [Destination.Window], new { text })).AllowEveryone();
            s.MapSignal("trace.fail", void (WindowInfo w) => throw new SignalException("no")).AllowEveryone();
            s.MapSignal("trace.staff", (WindowInfo w) => { }).AllowedTo(IsStaff.Instance);
        });
}
