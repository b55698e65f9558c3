using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Diagnostics;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Connections;

/// <summary>
/// Answers each frame a connected window sends: <c>ping</c>, <c>call</c> and <c>invoke</c> (rate-limited, then queued as
/// jobs; handlers never run here), <c>resume</c> (replay after a gap), and an error for a bad, repeated <c>connect</c> or unknown frame. Made by
/// <see cref="WindowConnectionHandler"/>, whose logger (category) it writes to.
/// </summary>
internal sealed partial class ClientFrameDispatcher(
    SignalDispatcher dispatcher,
    WindowMembership membership,
    TimeProvider time,
    SwitchboardMetrics metrics,
    IOptions<SwitchboardOptions> options,
    ILogger logger)
{
    public async Task DispatchAsync(WindowConnection connection, ClientFrame frame, CancellationToken cancellationToken)
    {
        if (frame.ErrorCode is { } code)
        {
            LogBadFrame(logger, connection.Window.WindowKey, frame.ErrorMessage);
            metrics.Refused(RefusalReasons.BadFrame);
            connection.TrySend(FrameWriter.Error(code, frame.ErrorMessage ?? "bad frame", frame.Id, frame.Signal));
            return;
        }
        switch (frame.Type)
        {
            case ProtocolNames.FrameTypes.Ping:
                connection.TrySend(FrameWriter.Pong);
                return;
            case ProtocolNames.FrameTypes.Call:
                await CallAsync(connection, frame, cancellationToken);
                return;
            case ProtocolNames.FrameTypes.Invoke:
                await InvokeAsync(connection, frame, cancellationToken);
                return;
            case ProtocolNames.FrameTypes.Resume:
                await ResumeAsync(connection, frame.Id!.Value, frame.Positions!, cancellationToken);
                return;
            case ProtocolNames.FrameTypes.Connect:
                connection.TrySend(FrameWriter.Error(ProtocolNames.ErrorCodes.BadFrame, "This window is already connected: 'connect' is only valid as the first frame.", frame.Id));
                return;
            default:
                connection.TrySend(FrameWriter.Error(ProtocolNames.ErrorCodes.UnknownFrame, $"Unknown frame type '{Truncate(frame.Type)}'.", frame.Id));
                return;
        }
    }

    /// <summary>A <c>call</c>: rate-limited, then queued as jobs; answered <c>accepted</c> or <c>refused</c>.</summary>
    private async Task CallAsync(WindowConnection connection, ClientFrame frame, CancellationToken cancellationToken)
    {
        var id = frame.Id!.Value;
        var started = metrics.CallDurationEnabled ? Stopwatch.GetTimestamp() : 0;
        using var activity = SwitchboardActivities.StartBrowserCall(ProtocolNames.FrameTypes.Call, frame.Signal, id);
        if (!TakePermit(connection, out var limited))
        {
            if (limited is not null)
            {
                connection.TrySend(FrameWriter.Refused(id, ProtocolNames.ErrorCodes.RateLimited, limited));
            }
            SwitchboardActivities.SetCallAnswer(activity, false, ProtocolNames.ErrorCodes.RateLimited, 0);
            return;
        }
        ClientCallResult result;
        try
        {
            result = await dispatcher.DispatchClientCallAsync(connection.Window, frame.Signal!, frame.OptsJson!, frame.OptsBytes, id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The queue could not take the job (e.g. Redis is down): refuse, keep the socket.
            LogDispatchFailed(logger, frame.Signal!, e);
            result = ClientCallResult.Refused(ProtocolNames.ErrorCodes.Unavailable, $"'{frame.Signal}' could not be queued; try again later.");
        }
        metrics.Call(result.Accepted);
        connection.TrySend(result.Accepted
            ? FrameWriter.Accepted(id, result.Jobs)
            : FrameWriter.Refused(id, result.RefusalCode!, result.Message!));
        if (started != 0)
        {
            metrics.CallAnswered(ProtocolNames.FrameTypes.Call, result.Accepted, started);
        }
        SwitchboardActivities.SetCallAnswer(activity, result.Accepted, result.RefusalCode, result.Jobs);
    }

    /// <summary>
    /// An <c>invoke</c>: the checks of a call, then one job. Nothing is sent when it is queued (its worker answers with
    /// a <c>result</c> through the window's topic); a refusal is a <c>result</c> with an error, written here.
    /// </summary>
    private async Task InvokeAsync(WindowConnection connection, ClientFrame frame, CancellationToken cancellationToken)
    {
        var id = frame.Id!.Value;
        var started = metrics.CallDurationEnabled ? Stopwatch.GetTimestamp() : 0;
        using var activity = SwitchboardActivities.StartBrowserCall(ProtocolNames.FrameTypes.Invoke, frame.Signal, id);
        if (!TakePermit(connection, out var limited))
        {
            if (limited is not null)
            {
                connection.TrySend(FrameWriter.ResultRefused(id, ProtocolNames.ErrorCodes.RateLimited, limited));
            }
            SwitchboardActivities.SetCallAnswer(activity, false, ProtocolNames.ErrorCodes.RateLimited, 0);
            return;
        }
        ClientCallResult result;
        try
        {
            result = await dispatcher.DispatchClientInvokeAsync(connection.Window, frame.Signal!, frame.OptsJson!, frame.OptsBytes, id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDispatchFailed(logger, frame.Signal!, e);
            result = ClientCallResult.Refused(ProtocolNames.ErrorCodes.Unavailable, $"'{frame.Signal}' could not be queued; try again later.");
        }
        metrics.Invoke(result.Accepted);
        if (!result.Accepted)
        {
            connection.TrySend(FrameWriter.ResultRefused(id, result.RefusalCode!, result.Message!));
        }
        if (started != 0)
        {
            metrics.CallAnswered(ProtocolNames.FrameTypes.Invoke, result.Accepted, started);
        }
        SwitchboardActivities.SetCallAnswer(activity, result.Accepted, result.RefusalCode, result.Jobs);
    }

    /// <summary>
    /// Takes a permit of the window's call rate limit (calls and invokes share it). Refused: <paramref name="refusal"/>
    /// is the message to answer with, or null when the window was closed for abusing the limit instead.
    /// </summary>
    private bool TakePermit(WindowConnection connection, out string? refusal)
    {
        var limit = options.Value.CallRateLimit;
        if (connection.TryTakeCallPermit(limit, time))
        {
            refusal = null;
            return true;
        }
        metrics.Refused(RefusalReasons.RateLimited);
        if (connection.RateLimitedInARow >= limit.CloseAfterRefusals)
        {
            LogRateLimitAbuse(logger, connection.Window.WindowKey, connection.RateLimitedInARow);
            metrics.Refused(RefusalReasons.RateLimitAbuse);
            connection.RequestClose(ProtocolNames.CloseCodes.TooManyCalls, "too many calls");
            refusal = null;
            return false;
        }
        refusal = $"Too many calls: at most {limit.PermitsPerSecond} per second (burst {limit.Burst}).";
        return false;
    }

    /// <summary>A gap seen on a live connection: replay what follows the window's positions, then say so.</summary>
    private async Task ResumeAsync(WindowConnection connection, long id, IReadOnlyDictionary<string, TopicPosition> positions, CancellationToken cancellationToken)
    {
        // Live frames wait while the history is read (WindowMembership), so the replay comes first and commands met in it apply in order.
        var (frames, recovered) = await membership.ResumeAsync(connection, id, positions, metrics.Replayed).WaitAsync(cancellationToken);
        WindowHandshake.LogResumed(logger, connection.Window.WindowKey ?? "", frames, recovered);
    }

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 32 ? s : s[..32] + "…";
}
