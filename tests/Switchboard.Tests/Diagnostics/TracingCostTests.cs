using System.Diagnostics;
using System.Text;
using Switchboard.Internal.Diagnostics;
using Switchboard.Internal.Protocol;

namespace Switchboard.Tests.Diagnostics;

/// <summary>
/// What tracing costs when nobody listens (docs/operations.md): no span, and no trace context stamped on a job even
/// inside an ambient activity (an HTTP request's). Nothing in this test assembly listens to the <c>Switchboard</c>
/// source. And the publish clock that times publish → local delivery finds this process's messages by their id.
/// </summary>
public sealed class TracingCostTests
{
    [Fact]
    public void WithoutAListenerNoSpanStartsAndAJobIsQueuedAsItIs()
    {
        Assert.False(SwitchboardActivities.Source.HasListeners());
        using var request = new Activity("request").Start();
        var job = new SignalJob { Id = "j", Queue = "default", Signal = "s" };
        var original = job;

        Assert.Null(SwitchboardActivities.StartEnqueue(ref job));
        Assert.Same(original, job);
        Assert.Null(job.TraceParent);
        Assert.Null(SwitchboardActivities.StartJob(job));
        Assert.Null(SwitchboardActivities.StartBrowserCall("call", "s", 1));
        Assert.Null(SwitchboardActivities.StartCall("s", true, 0, false));
        Assert.Null(SwitchboardActivities.StartPublish(1, 10));
        Assert.Null(SwitchboardActivities.StartDeliver(default, 1));
        Assert.Same(request, Activity.Current);
    }

    [Fact]
    public void TheLocalNumberOfABodyIsItsSignalIdCounterAndOnlyForIdsOfThisProcess()
    {
        var id = SignalId.Next();
        var body = FrameWriter.SignalBody("s", """{"a":"\""}""", id);
        Assert.True(SignalId.TryGetLocalNumber(body, out var number));
        Assert.EndsWith(number.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\"", Encoding.ASCII.GetString(body), StringComparison.Ordinal);
        Assert.True(SignalId.TryGetLocalNumber(FrameWriter.SignalBody("s", "{}", SignalId.Next()), out var next));
        Assert.Equal(number + 1, next);

        // An id made elsewhere (a delivery job's, another process's), a result's job id, a body without one: none.
        Assert.False(SignalId.TryGetLocalNumber(FrameWriter.SignalBody("s", "{}", "0123456789abcdef0123"), out _));
        Assert.False(SignalId.TryGetLocalNumber(FrameWriter.SignalBody("s", "{}", SignalId.From("abc")), out _));
        Assert.False(SignalId.TryGetLocalNumber(Encoding.UTF8.GetBytes("\"type\":\"x\""), out _));
        Assert.False(SignalId.TryGetLocalNumber([], out _));
    }

    [Fact]
    public void ThePublishClockGivesEachRecordedPublishBackOnce()
    {
        var clock = new PublishClock();
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        clock.Published(7, context);
        clock.Published(7 + 4096, default); // the same slot, later: the older one is gone

        Assert.False(clock.TryTake(7, out _, out _));
        Assert.True(clock.TryTake(7 + 4096, out var timestamp, out var parent));
        Assert.True(timestamp > 0);
        Assert.Equal(default, parent);
        Assert.False(clock.TryTake(7 + 4096, out _, out _));
        clock.Published(8, context);
        Assert.True(clock.TryTake(8, out _, out parent));
        Assert.Equal(context, parent);
    }
}
