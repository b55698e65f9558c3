using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Diagnostics;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Registry;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Workers;

/// <summary>
/// Runs one job. Each handler runs in its own DI scope with its own copy of the kwargs; a handler that cannot bind
/// its arguments or throws is logged and reported to the calling window, and the other handlers still run. A handler
/// to retry runs again in a job of its own, except in a job with an ordering key: that job goes back to its queue,
/// first in line, with the handlers to retry (<see cref="OrderedRetry"/>), so the window's next call waits for them. A
/// remote function's job (<see cref="SignalJob.Invoke"/>) runs its one handler and answers the invoke with a <c>result</c>
/// (the value, or the error) published to the calling window's topic; with retries, only the last attempt answers.
/// </summary>
internal sealed partial class JobExecutor(
    SignalRegistry registry,
    TopicPublisher publisher,
    TopicKeys topicKeys,
    IJobQueue jobs,
    IDeadLetterQueue deadLetters,
    QueueDirectory queues,
    SwitchboardMetrics metrics,
    IServiceScopeFactory scopes,
    IServiceProvider root,
    SingletonServices singletons,
    TimeProvider time,
    IOptions<SwitchboardOptions> options,
    ILogger<JobExecutor> logger)
{
    /// <returns>
    /// Null when the job is done (its lease is completed); for a job with an ordering key whose handlers failed with
    /// attempts left, what to give back to the queue with <see cref="IJobQueue.AbandonAsync"/>.
    /// </returns>
    public Task<OrderedRetry?> ExecuteAsync(SignalJob job, CancellationToken cancellationToken)
    {
        if (metrics.PickupDurationEnabled)
        {
            // From queued, or due (delayed, retried): what the job waited for a worker. Clocks of two machines may differ.
            metrics.JobPickedUp(job.Queue, time.GetUtcNow() - (job.NotBefore is { } due && due > job.CreatedAt ? due : job.CreatedAt));
        }
        return SwitchboardActivities.Source.HasListeners() ? ExecuteTracedAsync(job, cancellationToken) : ExecuteJobAsync(job, cancellationToken);
    }

    /// <summary>The job in a span continuing the trace it carries: its handlers' spans, and their own calls, are children.</summary>
    private async Task<OrderedRetry?> ExecuteTracedAsync(SignalJob job, CancellationToken cancellationToken)
    {
        // A worker loop may have been started from inside some span (a queue first seen while queueing): a job without
        // a trace of its own starts a new one, never a child of that.
        Activity.Current = null;
        using var activity = SwitchboardActivities.StartJob(job);
        try
        {
            return await ExecuteJobAsync(job, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && activity is not null)
        {
            SwitchboardActivities.SetOutcome(activity, "failed", e);
            throw;
        }
    }

    private async Task<OrderedRetry?> ExecuteJobAsync(SignalJob job, CancellationToken cancellationToken)
    {
        if (job.ExpiresAt is { } expires && time.GetUtcNow() >= expires)
        {
            LogExpired(logger, job.Signal, job.Queue, job.Id);
            metrics.Job("expired");
            await ReportAsync(job, ProtocolNames.ErrorCodes.Expired, $"'{job.Signal}' expired before it could start.", cancellationToken);
            return null;
        }
        if (job.Kind == SignalJobKind.Deliver)
        {
            await publisher.PublishAsync(job.Topics, FrameWriter.SignalBody(job.Signal, job.Kwargs, job.SignalId ?? job.Id), cancellationToken);
            return null;
        }
        List<string>? again = null;
        var againIn = TimeSpan.Zero;
        var window = job.Window ?? WindowInfo.None;
        var previousCulture = CultureInfo.CurrentCulture;
        var previousUiCulture = CultureInfo.CurrentUICulture;
        var cultureSet = SetCulture(window.Culture, previousCulture, previousUiCulture);
        try
        {
            if (AllHandlersKnown(job))
            {
                // The usual job: no list to build, no task to await for it.
                for (var i = 0; i < job.Handlers.Count; i++)
                {
                    if (await RunHandlerAsync(job, registry.GetHandler(job.Handlers[i])!, window, cancellationToken) is { } delay)
                    {
                        (again ??= []).Add(job.Handlers[i]);
                        againIn = Max(againIn, delay);
                    }
                }
            }
            else
            {
                foreach (var handler in await ResolveHandlersAsync(job, window, cancellationToken))
                {
                    if (await RunHandlerAsync(job, handler, window, cancellationToken) is { } delay)
                    {
                        (again ??= []).Add(handler.Id);
                        againIn = Max(againIn, delay);
                    }
                }
            }
        }
        finally
        {
            // Only when changed: each set writes an AsyncLocal, which copies the execution context (allocations per job).
            if (cultureSet)
            {
                CultureInfo.CurrentCulture = previousCulture;
                CultureInfo.CurrentUICulture = previousUiCulture;
            }
        }
        return again is null ? null : new OrderedRetry(again, againIn);
    }

    /// <summary>Whether the job names its handlers and this process has every one of them.</summary>
    private bool AllHandlersKnown(SignalJob job)
    {
        var ids = job.Handlers;
        for (var i = 0; i < ids.Count; i++)
        {
            if (registry.GetHandler(ids[i]) is null)
            {
                return false;
            }
        }
        return ids.Count > 0;
    }

    /// <summary>
    /// The handlers a job names; a job naming none was sent by a process that does not know the signal's handlers
    /// (e.g. an emitter without them): it is routed here, running this queue's handlers and forwarding the others.
    /// </summary>
    private async Task<List<SignalHandlerDescriptor>> ResolveHandlersAsync(SignalJob job, WindowInfo window, CancellationToken cancellationToken)
    {
        var result = new List<SignalHandlerDescriptor>();
        if (job.Handlers.Count > 0)
        {
            foreach (var id in job.Handlers)
            {
                if (registry.GetHandler(id) is { } handler)
                {
                    result.Add(handler);
                }
                else
                {
                    LogUnknownHandler(logger, job.Signal, id);
                    await deadLetters.DeadLetterAsync(job.WithAttempt(job.Attempt, null, [id]), $"unknown handler {id}", cancellationToken);
                    if (job.Invoke)
                    {
                        // The browser waits for an answer: nothing will run, say so.
                        await ReportAsync(job, ProtocolNames.ErrorCodes.HandlerFailed, $"'{job.Signal}' is not available on the worker that took it.", cancellationToken);
                    }
                }
            }
            return result;
        }
        var all = registry.GetHandlers(job.Signal);
        if (all.Count == 0)
        {
            LogUnknownSignal(logger, job.Signal, job.Queue);
            await deadLetters.DeadLetterAsync(job, "no handler for this signal in the worker", cancellationToken);
            return result;
        }
        var kwargs = System.Text.Json.Nodes.JsonNode.Parse(job.Kwargs) as System.Text.Json.Nodes.JsonObject;
        foreach (var group in all.GroupBy(h => h.SelectQueue(job.Signal, window, kwargs), StringComparer.Ordinal))
        {
            if (group.Key == job.Queue)
            {
                result.AddRange(group);
                continue;
            }
            queues.Touch(group.Key);
            await SwitchboardActivities.EnqueueAsync(jobs, SignalDispatcher.ServerJob(group.Key, job.Signal, window, job.Kwargs, [.. group.Select(h => h.Id)],
                job.FromClient, job.CallId, job.CreatedAt, notBefore: null, job.ExpiresAt), cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// Runs one handler; the delay of its retry when it failed with attempts left in a job with an ordering key (to be
    /// retried in place), else null.
    /// </summary>
    private async Task<TimeSpan?> RunHandlerAsync(SignalJob job, SignalHandlerDescriptor handler, WindowInfo window, CancellationToken cancellationToken)
    {
        // A scope only for a handler that takes services that are not all singletons, or is created from DI.
        var needsServices = handler.NeedsScope;
        var scope = needsServices && !singletons.Suffice(handler) ? scopes.CreateAsyncScope() : (AsyncServiceScope?)null;
        // Observed (timed or traced) only while someone listens: otherwise no object, and a smaller state machine.
        var timed = metrics.HandlerDurationEnabled;
        var activity = SwitchboardActivities.StartHandler(handler.Signal, handler.DisplayName, job.Attempt + 1);
        var run = timed || activity is not null ? new HandlerRun(handler, timed ? Stopwatch.GetTimestamp() : 0, activity) : null;
        try
        {
            return await RunHandlerAsync(job, handler, window, scope?.ServiceProvider ?? (needsServices ? root : null), run, cancellationToken);
        }
        finally
        {
            run?.Activity?.Dispose();
            if (scope is { } s)
            {
                await s.DisposeAsync();
            }
        }
    }

    /// <summary>One handler's run as observed: its start (a <see cref="Stopwatch"/> timestamp, 0: not timed) and span.</summary>
    private sealed record HandlerRun(SignalHandlerDescriptor Handler, long Started, Activity? Activity);

    /// <summary>Counts a handler's outcome (<c>switchboard.jobs</c>), and times and marks it when observed.</summary>
    private void Ran(HandlerRun? run, string outcome, Exception? exception = null)
    {
        metrics.Job(outcome);
        if (run is null)
        {
            return;
        }
        if (run.Started != 0)
        {
            metrics.HandlerRan(run.Handler.Signal, outcome, run.Started);
        }
        SwitchboardActivities.SetOutcome(run.Activity, outcome, exception);
    }

    private async Task<TimeSpan?> RunHandlerAsync(
        SignalJob job, SignalHandlerDescriptor handler, WindowInfo window, IServiceProvider? services, HandlerRun? run, CancellationToken cancellationToken)
    {
        object?[] args;
        try
        {
            args = ArgumentBinder.Bind(handler, window, job.Kwargs, services, cancellationToken);
        }
        catch (ArgumentBindingException e)
        {
            LogBindingFailed(logger, job.Signal, handler.DisplayName, e.Message);
            Ran(run, "bad_arguments");
            await ReportAsync(job, ProtocolNames.ErrorCodes.BadArguments, $"{job.Signal}: {e.Message}", cancellationToken);
            return null;
        }
        byte[]? value = null;
        try
        {
            if (job.Invoke)
            {
                // Serialized here, so a value that cannot be is the function's failure (logged, reported), not the answer's.
                value = SwitchboardJson.SerializeValue(await HandlerInvoker.InvokeFunctionAsync(handler, args, services));
            }
            else
            {
                await HandlerInvoker.InvokeAsync(handler, args, services);
            }
            Ran(run, "succeeded");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            if (job.Attempt + 1 < handler.MaxAttempts)
            {
                var delay = Backoff(job.Attempt);
                Ran(run, "retried", e);
                LogHandlerRetrying(logger, job.Signal, handler.DisplayName, job.Attempt + 1, handler.MaxAttempts, delay, e);
                if (job.OrderingKey is not null)
                {
                    // Retried in place by the worker (AbandonAsync): the window's next call waits for it.
                    return delay;
                }
                await jobs.EnqueueAsync(job.WithAttempt(job.Attempt + 1, time.GetUtcNow() + delay, [handler.Id]), cancellationToken);
                return null;
            }
            LogHandlerFailed(logger, job.Signal, handler.DisplayName, job.Attempt + 1, e);
            Ran(run, "failed", e);
            await deadLetters.DeadLetterAsync(job.WithAttempt(job.Attempt, null, [handler.Id]),
                $"{handler.DisplayName} threw {e.GetType().Name}: {e.Message}", cancellationToken);
            var message = e is SignalException || options.Value.DetailedErrors
                ? e.Message
                : $"A server handler of '{job.Signal}' failed.";
            await ReportAsync(job, ProtocolNames.ErrorCodes.HandlerFailed, message, cancellationToken);
            return null;
        }
        if (value is not null)
        {
            await AnswerAsync(job, FrameWriter.ResultBody(job.CallId ?? 0, value, SignalId.From(job.Id)), cancellationToken);
        }
        return null;
    }

    /// <summary>
    /// Errors of browser calls go back to the calling window, wherever it is connected: an <c>error</c> frame for a call,
    /// the invoke's <c>result</c> with the error for a function.
    /// </summary>
    private Task ReportAsync(SignalJob job, string code, string message, CancellationToken cancellationToken) =>
        AnswerAsync(job, job.Invoke
            ? FrameWriter.ResultErrorBody(job.CallId ?? 0, code, message, SignalId.From(job.Id))
            : FrameWriter.ErrorBody(code, message, job.CallId, job.Signal), cancellationToken);

    /// <summary>
    /// Publishes <paramref name="body"/> to the calling window's topic: sequenced and kept in its history, it reaches the
    /// window on any node, after a reconnect too; a window that left is simply not there to get it. A result's
    /// <c>signal_id</c> is its job's id, so should a job run twice (a lost lease) the client takes one answer.
    /// </summary>
    private async Task AnswerAsync(SignalJob job, byte[] body, CancellationToken cancellationToken)
    {
        if (!job.FromClient || job.Window is not { WindowKey.Length: > 0 } window)
        {
            return;
        }
        try
        {
            await publisher.PublishAsync([topicKeys.Window(window)], body, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReportFailed(logger, job.Signal, e);
        }
    }

    /// <summary>Full jitter: a random delay in [0, min(MaxDelay, BaseDelay·2^attempt)].</summary>
    private TimeSpan Backoff(int attempt)
    {
        var retry = options.Value.Retry;
        var ceiling = Math.Min(retry.MaxDelay.TotalMilliseconds, retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Runs the handlers under the window's culture; false when nothing had to change.</summary>
    private static bool SetCulture(string? name, CultureInfo current, CultureInfo currentUi)
    {
        if (string.IsNullOrEmpty(name) || (current.Name == name && currentUi.Name == name))
        {
            return false;
        }
        try
        {
            var culture = CultureInfo.GetCultureInfo(name);
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return true;
        }
        catch (CultureNotFoundException)
        {
            // An unknown culture from a client keeps the worker's own.
            return false;
        }
    }

    [LoggerMessage(EventId = 2101, EventName = "JobExpired", Level = LogLevel.Information,
        Message = "Job {JobId} of signal {Signal} on queue {Queue} expired before it could start; dropped.")]
    private static partial void LogExpired(ILogger logger, string signal, string queue, string jobId);

    [LoggerMessage(EventId = 2102, EventName = "UnknownHandler", Level = LogLevel.Error,
        Message = "Signal {Signal}: the job names handler {HandlerId}, which this process does not have (is it running other code?).")]
    private static partial void LogUnknownHandler(ILogger logger, string signal, string handlerId);

    [LoggerMessage(EventId = 2103, EventName = "ArgumentBindingFailed", Level = LogLevel.Warning,
        Message = "Signal {Signal}: handler {Handler} skipped: {Reason}")]
    private static partial void LogBindingFailed(ILogger logger, string signal, string handler, string reason);

    [LoggerMessage(EventId = 2104, EventName = "HandlerFailed", Level = LogLevel.Error,
        Message = "Signal {Signal}: handler {Handler} threw on attempt {Attempt}; the job is in the dead letters.")]
    private static partial void LogHandlerFailed(ILogger logger, string signal, string handler, int attempt, Exception exception);

    [LoggerMessage(EventId = 2106, EventName = "HandlerRetrying", Level = LogLevel.Warning,
        Message = "Signal {Signal}: handler {Handler} threw on attempt {Attempt} of {MaxAttempts}; retrying in {Delay}.")]
    private static partial void LogHandlerRetrying(ILogger logger, string signal, string handler, int attempt, int maxAttempts, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2107, EventName = "UnknownSignalInWorker", Level = LogLevel.Error,
        Message = "Signal {Signal} on queue {Queue} has no handler in this worker (is it running other code?); the job is in the dead letters.")]
    private static partial void LogUnknownSignal(ILogger logger, string signal, string queue);

    [LoggerMessage(EventId = 2105, EventName = "ErrorReportFailed", Level = LogLevel.Warning,
        Message = "Signal {Signal}: the error could not be reported to the calling window.")]
    private static partial void LogReportFailed(ILogger logger, string signal, Exception exception);
}
