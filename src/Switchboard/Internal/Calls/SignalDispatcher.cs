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

/// <summary>
/// The <see cref="ISignals"/> implementation and the entry point of browser calls. It resolves destinations, queues
/// one job per distinct queue of the handlers to run, and hands browser messages to the publisher, now or (with
/// countdown/eta) through a delivery job so delays survive in durable queues too.
/// </summary>
internal sealed partial class SignalDispatcher(
    SignalRegistry registry,
    IJobQueue jobs,
    TopicPublisher publisher,
    ITopicSerializer serializer,
    QueueDirectory queues,
    WindowInfoFactory windows,
    IServiceProvider services,
    TimeProvider time,
    IOptions<SwitchboardOptions> options,
    ILogger<SignalDispatcher> logger) : ISignals
{
    /// <summary>The internal queue that carries delayed browser messages.</summary>
    public const string DeliveryQueue = "switchboard.deliveries";

    public Task TriggerAsync(object? window, string signal, object? kwargs = null, IEnumerable<object>? to = null, CancellationToken cancellationToken = default) =>
        CallAsync(window, signal, to, kwargs, cancellationToken: cancellationToken);

    public async Task CallAsync(
        object? window,
        string signal,
        IEnumerable<object>? to = null,
        object? kwargs = null,
        TimeSpan? countdown = null,
        DateTimeOffset? expires = null,
        DateTimeOffset? eta = null,
        CancellationToken cancellationToken = default)
    {
        SignalNames.ThrowIfInvalid(signal, nameof(signal));
        if (countdown is not null && eta is not null)
        {
            throw new ArgumentException("countdown and eta cannot both be given.", nameof(eta));
        }
        if (countdown < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(countdown), countdown, "countdown cannot be negative.");
        }
        var info = ResolveWindow(window);
        var (toServer, topics) = ResolveDestinations(signal, info, to);
        var now = time.GetUtcNow();
        DateTimeOffset? notBefore = countdown is { } c ? now + c : eta;
        var delayed = notBefore is { } due && due > now;
        using var activity = SwitchboardActivities.StartCall(signal, toServer, topics.Count, delayed);
        // Kwargs become text only where text is kept (a job); a message to windows is serialized straight into its body.
        // Either way they are checked before anything is sent.
        var kwargsJson = toServer || delayed || topics.Count == 0 || expires <= now ? SwitchboardJson.SerializeKwargs(kwargs) : null;
        if (expires is { } exp && exp <= now)
        {
            LogExpiredBeforeDispatch(logger, signal);
            return;
        }
        if (toServer)
        {
            var handlers = registry.GetHandlers(signal);
            if (handlers.Count == 0 && options.Value.RouteUnknownServerSignals)
            {
                await EnqueueAsync(ServerJob(options.Value.DefaultQueue, signal, info ?? WindowInfo.None, kwargsJson!, [], false, null, now, notBefore, expires), cancellationToken);
            }
            else
            {
                await EnqueueServerJobsAsync(signal, info ?? WindowInfo.None, kwargsJson!, null, handlers,
                    fromClient: false, callId: null, notBefore, expires, cancellationToken);
            }
        }
        if (topics.Count == 0)
        {
            return;
        }
        var signalId = SignalId.Next();
        if (delayed)
        {
            await EnqueueAsync(new SignalJob
            {
                Id = Guid.NewGuid().ToString("N"),
                Kind = SignalJobKind.Deliver,
                Queue = DeliveryQueue,
                Signal = signal,
                Window = info,
                Kwargs = kwargsJson!,
                Topics = topics,
                SignalId = signalId.ToString(),
                CreatedAt = now,
                NotBefore = notBefore,
                ExpiresAt = expires,
            }, cancellationToken);
            return;
        }
        var body = kwargsJson is null
            ? FrameWriter.SignalBody(signal, kwargs, signalId)
            : FrameWriter.SignalBody(signal, kwargsJson, signalId);
        await publisher.PublishAsync(topics, body, cancellationToken);
    }

    /// <summary>
    /// A call from a browser: checks name, size and permissions, then queues the allowed handlers. The opts are the JSON
    /// object text the browser sent (the job carries it as is when it is ASCII within the limit) and its UTF-8 length.
    /// </summary>
    public async ValueTask<ClientCallResult> DispatchClientCallAsync(
        WindowInfo window, string signal, string optsJson, int optsBytes, long callId, CancellationToken cancellationToken)
    {
        if (!SignalNames.IsValid(signal))
        {
            return ClientCallResult.Refused(ProtocolNames.ErrorCodes.InvalidSignalName, $"'{Truncate(signal)}' is not a valid signal name.");
        }
        if (LifecycleSignals.IsReserved(signal))
        {
            LogForbidden(logger, signal, window.UserId);
            return ClientCallResult.Refused(ProtocolNames.ErrorCodes.Forbidden, $"'{signal}' is reserved for Switchboard's own server signals: browsers may not call it.");
        }
        var handlers = registry.GetHandlers(signal);
        if (handlers.Count == 0)
        {
            LogUnknownSignal(logger, signal);
            return ClientCallResult.Refused(ProtocolNames.ErrorCodes.UnknownSignal, registry.GetFunction(signal) is null
                ? $"No server handler is registered for '{signal}'."
                : $"'{signal}' is a function, not a signal: use df.invoke.");
        }
        if (!TryNormalizeOpts(ref optsJson, optsBytes))
        {
            return ClientCallResult.Refused(ProtocolNames.ErrorCodes.KwargsTooLarge, $"The arguments of '{signal}' exceed {options.Value.MaxKwargsBytes} bytes.");
        }
        // One context for every handler's check: the kwargs are parsed once, and only if a permission reads them.
        var context = SignalPermissionContext.ForCall(signal, window, optsJson, services);
        IReadOnlyList<SignalHandlerDescriptor> allowed = handlers;
        List<SignalHandlerDescriptor>? some = null;
        using (var permission = SwitchboardActivities.StartPermission(signal, handlers.Count))
        {
            for (var i = 0; i < handlers.Count; i++)
            {
                if (!await IsAllowedAsync(handlers[i], context, cancellationToken))
                {
                    some ??= [.. handlers.Take(i)];
                    allowed = some;
                }
                else if (some is not null)
                {
                    some.Add(handlers[i]);
                }
            }
            permission?.SetTag("switchboard.handlers.allowed", allowed.Count);
        }
        if (allowed.Count == 0)
        {
            LogForbidden(logger, signal, window.UserId);
            return ClientCallResult.Refused(ProtocolNames.ErrorCodes.Forbidden, $"This window may not call '{signal}'.");
        }
        var count = await EnqueueServerJobsAsync(signal, window, optsJson, context, allowed, fromClient: true, callId, null, null, cancellationToken,
            orderingKey: string.IsNullOrEmpty(window.WindowKey) ? null : window.WindowKey);
        return new ClientCallResult(count, null, null);
    }

    /// <summary>
    /// A browser's invoke of a remote function: the checks of a call (name, size, permission with the kwargs), then one
    /// job running the function, whose worker answers the window with a <c>result</c>; refused: nothing was queued.
    /// </summary>
    public async ValueTask<ClientCallResult> DispatchClientInvokeAsync(
        WindowInfo window, string name, string optsJson, int optsBytes, long callId, CancellationToken cancellationToken)
    {
        if (!SignalNames.IsValid(name))
        {
            return ClientCallResult.Refused(ProtocolNames.ErrorCodes.InvalidSignalName, $"'{Truncate(name)}' is not a valid function name.");
        }
        if (LifecycleSignals.IsReserved(name))
        {
            LogForbiddenInvoke(logger, name, window.UserId);
            return ClientCallResult.Refused(ProtocolNames.ErrorCodes.Forbidden, $"'{name}' is reserved for Switchboard: browsers may not invoke it.");
        }
        if (registry.GetFunction(name) is not { } function)
        {
            LogUnknownFunction(logger, name);
            return ClientCallResult.Refused(ProtocolNames.ErrorCodes.UnknownSignal, registry.GetHandlers(name).Count == 0
                ? $"No function is registered for '{name}'."
                : $"'{name}' is a signal, not a function: use df.call.");
        }
        if (!TryNormalizeOpts(ref optsJson, optsBytes))
        {
            return ClientCallResult.Refused(ProtocolNames.ErrorCodes.KwargsTooLarge, $"The arguments of '{name}' exceed {options.Value.MaxKwargsBytes} bytes.");
        }
        var context = SignalPermissionContext.ForCall(name, window, optsJson, services);
        bool isAllowed;
        using (var permission = SwitchboardActivities.StartPermission(name, 1))
        {
            isAllowed = await IsAllowedAsync(function, context, cancellationToken);
            permission?.SetTag("switchboard.handlers.allowed", isAllowed ? 1 : 0);
        }
        if (!isAllowed)
        {
            LogForbiddenInvoke(logger, name, window.UserId);
            return ClientCallResult.Refused(ProtocolNames.ErrorCodes.Forbidden, $"This window may not invoke '{name}'.");
        }
        var queue = function.FixedQueue ?? function.SelectQueue(name, window, context.Kwargs);
        var now = time.GetUtcNow();
        await EnqueueAsync(new SignalJob
        {
            Id = Guid.NewGuid().ToString("N"),
            Kind = SignalJobKind.Server,
            Queue = queue,
            Signal = name,
            Window = window,
            Kwargs = optsJson,
            Handlers = function.IdAsList,
            FromClient = true,
            CallId = callId,
            Invoke = true,
            OrderingKey = function.Ordered ? window.WindowKey : null,
            CreatedAt = now,
            ExpiresAt = function.ExpiresAfter is { } after ? now + after : null,
        }, cancellationToken);
        return new ClientCallResult(1, null, null);
    }

    /// <summary>
    /// Checks browser kwargs against <see cref="SwitchboardOptions.MaxKwargsBytes"/>; false when too large. The limit applies
    /// to the kwargs as the server writes them (no white space, escapes only where JSON needs them). ASCII text as sent
    /// is never shorter than that, so within the limit it needs no rewriting; otherwise (too long, or non-ASCII, which
    /// the server may write longer or shorter) <paramref name="optsJson"/> becomes the server's text, which the job carries.
    /// </summary>
    private bool TryNormalizeOpts(ref string optsJson, int optsBytes)
    {
        if (optsBytes <= options.Value.MaxKwargsBytes && System.Text.Ascii.IsValid(optsJson))
        {
            return true;
        }
        optsJson = JsonNode.Parse(optsJson)!.ToJsonString(SwitchboardJson.Options);
        return Encoding.UTF8.GetByteCount(optsJson) <= options.Value.MaxKwargsBytes;
    }

    /// <summary>A browser call whose opts are already a <see cref="JsonObject"/> (serialized as the dispatcher would).</summary>
    public ValueTask<ClientCallResult> DispatchClientCallAsync(WindowInfo window, string signal, JsonObject opts, long callId, CancellationToken cancellationToken)
    {
        var optsJson = opts.ToJsonString(SwitchboardJson.Options);
        return DispatchClientCallAsync(window, signal, optsJson, Encoding.UTF8.GetByteCount(optsJson), callId, cancellationToken);
    }

    /// <summary>Signals the window may call at all (each handler's permission with kwargs = null).</summary>
    public async Task<List<string>> GetAllowedSignalsAsync(WindowInfo window, CancellationToken cancellationToken)
    {
        var allowed = new List<string>();
        foreach (var signal in registry.Signals)
        {
            if (LifecycleSignals.IsReserved(signal))
            {
                continue;
            }
            var context = new SignalPermissionContext(signal, window, kwargs: null, services);
            foreach (var handler in registry.GetHandlers(signal))
            {
                if (await IsAllowedAsync(handler, context, cancellationToken))
                {
                    allowed.Add(signal);
                    break;
                }
            }
        }
        allowed.Sort(StringComparer.Ordinal);
        return allowed;
    }

    /// <summary>Functions the window may invoke at all (each one's permission with kwargs = null).</summary>
    public async Task<List<string>> GetAllowedFunctionsAsync(WindowInfo window, CancellationToken cancellationToken)
    {
        var allowed = new List<string>();
        foreach (var name in registry.Functions)
        {
            var context = new SignalPermissionContext(name, window, kwargs: null, services);
            if (await IsAllowedAsync(registry.GetFunction(name)!, context, cancellationToken))
            {
                allowed.Add(name);
            }
        }
        allowed.Sort(StringComparer.Ordinal);
        return allowed;
    }

    private async ValueTask<bool> IsAllowedAsync(SignalHandlerDescriptor handler, SignalPermissionContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await handler.Permission.IsAllowedAsync(context, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPermissionFailed(logger, handler.Signal, handler.DisplayName, e);
            return false;
        }
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

    [LoggerMessage(EventId = 1101, EventName = "UnknownSignal", Level = LogLevel.Information,
        Message = "A window called signal {Signal}, which has no server handler.")]
    private static partial void LogUnknownSignal(ILogger logger, string signal);

    [LoggerMessage(EventId = 1102, EventName = "ForbiddenCall", Level = LogLevel.Information,
        Message = "A window of user {UserId} called signal {Signal} without permission; refused.")]
    private static partial void LogForbidden(ILogger logger, string signal, string? userId);

    [LoggerMessage(EventId = 1103, EventName = "NoServerHandler", Level = LogLevel.Debug,
        Message = "Signal {Signal} was sent to SERVER but has no server handler.")]
    private static partial void LogNoServerHandler(ILogger logger, string signal);

    [LoggerMessage(EventId = 1104, EventName = "PermissionFailed", Level = LogLevel.Error,
        Message = "The permission check of signal {Signal} handler {Handler} threw; the call is treated as not allowed.")]
    private static partial void LogPermissionFailed(ILogger logger, string signal, string handler, Exception exception);

    [LoggerMessage(EventId = 1120, EventName = "UnknownFunction", Level = LogLevel.Information,
        Message = "A window invoked function {Function}, which is not registered.")]
    private static partial void LogUnknownFunction(ILogger logger, string function);

    [LoggerMessage(EventId = 1121, EventName = "ForbiddenInvoke", Level = LogLevel.Information,
        Message = "A window of user {UserId} invoked function {Function} without permission; refused.")]
    private static partial void LogForbiddenInvoke(ILogger logger, string function, string? userId);


    [LoggerMessage(EventId = 1105, EventName = "ExpiredBeforeDispatch", Level = LogLevel.Information,
        Message = "Signal {Signal} was called with an expiry already past; nothing was sent.")]
    private static partial void LogExpiredBeforeDispatch(ILogger logger, string signal);
}
