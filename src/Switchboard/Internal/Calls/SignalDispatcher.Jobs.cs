using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Diagnostics;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Registry;
using Switchboard.Internal.Windows;
using Switchboard.Internal.Workers;

namespace Switchboard.Internal.Calls;

// The jobs a call becomes: one per distinct queue (and order) of the handlers to run.
internal sealed partial class SignalDispatcher
{
    /// <summary>
    /// Queues one job per queue of <paramref name="handlers"/> (two when some handlers of a queue are ordered and some
    /// not, so an unordered handler never waits behind ordered calls). <paramref name="call"/> is a browser call's
    /// permission context (its kwargs already parsed if a permission read them), null for server calls; queue selectors
    /// get the kwargs parsed once, only when some handler has no fixed queue. <paramref name="orderingKey"/> (a browser
    /// call's window key) goes on the jobs of ordered handlers.
    /// </summary>
    private async ValueTask<int> EnqueueServerJobsAsync(
        string signal, WindowInfo window, string kwargsJson, SignalPermissionContext? call, IReadOnlyList<SignalHandlerDescriptor> handlers,
        bool fromClient, long? callId, DateTimeOffset? notBefore, DateTimeOffset? expires, CancellationToken cancellationToken,
        string? orderingKey = null)
    {
        if (handlers.Count == 0)
        {
            LogNoServerHandler(logger, signal);
            return 0;
        }
        var now = time.GetUtcNow();
        JsonObject? kwargs = null;
        var parsed = false;
        static string QueueOf(SignalHandlerDescriptor handler, string signal, WindowInfo window, string kwargsJson,
            SignalPermissionContext? call, ref JsonObject? kwargs, ref bool parsed)
        {
            if (handler.FixedQueue is { } queue)
            {
                return queue;
            }
            if (!parsed)
            {
                (kwargs, parsed) = (call is not null ? call.Kwargs : JsonNode.Parse(kwargsJson) as JsonObject, true);
            }
            return handler.SelectQueue(signal, window, kwargs);
        }
        if (handlers.Count == 1)
        {
            var handler = handlers[0];
            var single = QueueOf(handler, signal, window, kwargsJson, call, ref kwargs, ref parsed);
            await EnqueueAsync(ServerJob(single, signal, window, kwargsJson, handler.IdAsList, fromClient, callId, now, notBefore, expires,
                handler.Ordered ? orderingKey : null), cancellationToken);
            return 1;
        }
        var byQueue = new Dictionary<(string Queue, bool Ordered), List<string>>();
        foreach (var handler in handlers)
        {
            var queue = (QueueOf(handler, signal, window, kwargsJson, call, ref kwargs, ref parsed), handler.Ordered && orderingKey is not null);
            if (!byQueue.TryGetValue(queue, out var ids))
            {
                byQueue[queue] = ids = [];
            }
            ids.Add(handler.Id);
        }
        foreach (var ((queue, ordered), ids) in byQueue)
        {
            await EnqueueAsync(ServerJob(queue, signal, window, kwargsJson, ids, fromClient, callId, now, notBefore, expires,
                ordered ? orderingKey : null), cancellationToken);
        }
        return byQueue.Count;
    }

    private ValueTask EnqueueAsync(SignalJob job, CancellationToken cancellationToken)
    {
        queues.Touch(job.Queue);
        return SwitchboardActivities.EnqueueAsync(jobs, job, cancellationToken);
    }

    /// <summary>A job running <paramref name="handlers"/> of a signal on <paramref name="queue"/> (also used to route jobs in workers).</summary>
    internal static SignalJob ServerJob(
        string queue, string signal, WindowInfo window, string kwargsJson, IReadOnlyList<string> handlers, bool fromClient, long? callId,
        DateTimeOffset now, DateTimeOffset? notBefore, DateTimeOffset? expires, string? orderingKey = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Kind = SignalJobKind.Server,
        Queue = queue,
        Signal = signal,
        Window = window,
        Kwargs = kwargsJson,
        Handlers = handlers,
        FromClient = fromClient,
        CallId = callId,
        CreatedAt = now,
        NotBefore = notBefore,
        ExpiresAt = expires,
        OrderingKey = orderingKey,
    };
}
