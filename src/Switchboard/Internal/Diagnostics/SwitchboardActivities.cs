using System.Diagnostics;

namespace Switchboard.Internal.Diagnostics;

/// <summary>
/// Switchboard's spans, on the <see cref="ActivitySource"/> <c>Switchboard</c> (docs/operations.md, Traces). Every
/// method returns null at once when nothing listens (<see cref="ActivitySource.HasListeners"/>), before any tag is
/// built, so a host without tracing pays one check per call, job or publish and nothing per window. Span names are
/// fixed (low cardinality); signal and queue names go in attributes.
/// </summary>
internal static class SwitchboardActivities
{
    public const string SourceName = "Switchboard";

    public static readonly ActivitySource Source = new(SourceName, typeof(SwitchboardActivities).Assembly.GetName().Version?.ToString());

    /// <summary>Span names, as docs/operations.md lists them.</summary>
    public const string BrowserCallName = "switchboard.browser_call";
    public const string PermissionName = "switchboard.permission";
    public const string EnqueueName = "switchboard.enqueue";
    public const string JobName = "switchboard.job";
    public const string HandlerName = "switchboard.handler";
    public const string CallName = "switchboard.call";
    public const string PublishName = "switchboard.publish";
    public const string DeliverName = "switchboard.deliver";

    /// <summary><c>messaging.system</c>: no registered value fits (Switchboard is the messaging system here).</summary>
    private const string MessagingSystem = "switchboard";

    /// <summary>A browser's <c>call</c> or <c>invoke</c> frame on the web node: receive → permission → enqueue → answer.</summary>
    public static Activity? StartBrowserCall(string type, string? signal, long callId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        // A new trace per call: the socket's own request (if some instrumentation traced it) lasts as long as the
        // window, and Activity.Current is cleared for the receive loop (WindowConnectionHandler).
        var activity = Source.StartActivity(BrowserCallName, ActivityKind.Server);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("switchboard.call.type", type);
            activity.SetTag("switchboard.signal", signal);
            activity.SetTag("switchboard.call.id", callId);
        }
        return activity;
    }

    /// <summary>A browser call's answer, and the jobs it became, on its span (which the caller disposes).</summary>
    public static void SetCallAnswer(Activity? activity, bool accepted, string? refusalCode, int jobs)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("switchboard.outcome", accepted ? "accepted" : "refused");
        if (accepted)
        {
            activity.SetTag("switchboard.jobs", jobs);
        }
        else
        {
            activity.SetTag("switchboard.refusal.code", refusalCode);
            activity.SetStatus(ActivityStatusCode.Error, refusalCode);
        }
    }

    /// <summary>The permission checks of a browser call (every handler's, with the kwargs).</summary>
    public static Activity? StartPermission(string signal, int handlers)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity(PermissionName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("switchboard.signal", signal);
            activity.SetTag("switchboard.handlers", handlers);
        }
        return activity;
    }

    /// <summary>
    /// The span of queueing <paramref name="job"/> (a producer span), and the job to queue: a copy carrying that span's
    /// trace context (or the caller's, when the span is not recorded) so the worker continues the trace.
    /// </summary>
    public static Activity? StartEnqueue(ref SignalJob job)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity(EnqueueName, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", MessagingSystem);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "enqueue");
            activity.SetTag("messaging.destination.name", job.Queue);
            activity.SetTag("messaging.message.id", job.Id);
            activity.SetTag("switchboard.signal", job.Signal);
            activity.SetTag("switchboard.job.kind", job.Kind == SignalJobKind.Deliver ? "deliver" : "server");
            if (job.NotBefore is { } due)
            {
                activity.SetTag("switchboard.job.not_before", due.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        if ((activity ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C, Id: { } id } context)
        {
            job = job.WithTraceContext(id, context.TraceStateString);
        }
        return activity;
    }

    /// <summary>Queues <paramref name="job"/> on <paramref name="queue"/>, in an enqueue span carrying the trace when someone listens.</summary>
    public static ValueTask EnqueueAsync(IJobQueue queue, SignalJob job, CancellationToken cancellationToken) =>
        Source.HasListeners() ? EnqueueTracedAsync(queue, job, cancellationToken) : queue.EnqueueAsync(job, cancellationToken);

    private static async ValueTask EnqueueTracedAsync(IJobQueue queue, SignalJob job, CancellationToken cancellationToken)
    {
        using var activity = StartEnqueue(ref job);
        try
        {
            await queue.EnqueueAsync(job, cancellationToken);
        }
        catch (Exception e) when (activity is not null)
        {
            SetOutcome(activity, "failed", e);
            throw;
        }
    }

    /// <summary>A worker picked up <paramref name="job"/>: a consumer span continuing the trace the job carries.</summary>
    public static Activity? StartJob(SignalJob job)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        ActivityContext.TryParse(job.TraceParent, job.TraceState, isRemote: true, out var parent);
        var activity = Source.StartActivity(JobName, ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", MessagingSystem);
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.operation.name", "process");
            activity.SetTag("messaging.destination.name", job.Queue);
            activity.SetTag("messaging.message.id", job.Id);
            activity.SetTag("switchboard.signal", job.Signal);
            activity.SetTag("switchboard.job.kind", job.Kind == SignalJobKind.Deliver ? "deliver" : "server");
            activity.SetTag("switchboard.job.attempt", job.Attempt + 1);
            activity.SetTag("switchboard.job.handlers", job.Handlers.Count);
        }
        return activity;
    }

    /// <summary>One handler of a job.</summary>
    public static Activity? StartHandler(string signal, string handler, int attempt)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity(HandlerName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("switchboard.signal", signal);
            activity.SetTag("switchboard.handler", handler);
            activity.SetTag("switchboard.job.attempt", attempt);
        }
        return activity;
    }

    /// <summary>A handler's (or a job's) outcome on its span; a failure sets the error status and <c>error.type</c>.</summary>
    public static void SetOutcome(Activity? activity, string outcome, Exception? exception = null)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("switchboard.outcome", outcome);
        if (exception is not null)
        {
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        }
        else if (outcome is not "succeeded")
        {
            activity.SetTag("error.type", outcome);
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>A C# <c>CallAsync</c> (or <c>TriggerAsync</c>): to server handlers, browser topics, or both.</summary>
    public static Activity? StartCall(string signal, bool toServer, int topics, bool delayed)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity(CallName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("switchboard.signal", signal);
            activity.SetTag("switchboard.call.server", toServer);
            activity.SetTag("switchboard.topics.count", topics);
            activity.SetTag("switchboard.call.delayed", delayed);
        }
        return activity;
    }

    /// <summary>A message published to browser topics through the broker.</summary>
    public static Activity? StartPublish(int topics, int bodyBytes)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity(PublishName, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", MessagingSystem);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "publish");
            activity.SetTag("switchboard.topics.count", topics);
            activity.SetTag("messaging.message.body.size", bodyBytes);
        }
        return activity;
    }

    /// <summary>
    /// A message the broker handed to this node, given to its windows: one span per message and node, however many
    /// windows. <paramref name="parent"/> is the publish span when this node published it, else default (a new trace).
    /// </summary>
    public static Activity? StartDeliver(ActivityContext parent, int topics)
    {
        if (!Source.HasListeners())
        {
            return null;
        }
        var activity = Source.StartActivity(DeliverName, ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", MessagingSystem);
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.operation.name", "deliver");
            activity.SetTag("switchboard.topics.count", topics);
        }
        return activity;
    }
}
