using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>
/// The server's answer to a <c>call</c> (docs/protocol.md §2): <c>accepted</c> (jobs queued) or <c>refused</c> (nothing
/// queued, with a code such as <c>forbidden</c>). Acceptance says the jobs are queued, not that the handlers succeeded:
/// a handler that fails later sends an <c>error</c> frame with the same <see cref="Id"/>.
/// </summary>
public sealed class CallResult
{
    internal CallResult(long id, JsonElement frame)
    {
        Id = id;
        Frame = frame;
        Accepted = frame.Type() == "accepted";
        Jobs = Accepted && frame.TryGetProperty("jobs", out var jobs) && jobs.TryGetInt32(out var n) ? n : 0;
        Code = Accepted ? null : frame.Str("code");
        Message = Accepted ? null : frame.Str("message");
    }

    /// <summary>The call's id, which <c>error</c> frames about it carry.</summary>
    public long Id { get; }

    /// <summary>True for <c>accepted</c>, false for <c>refused</c>.</summary>
    public bool Accepted { get; }

    /// <summary>How many jobs were queued (one per distinct queue of the allowed handlers); 0 when refused.</summary>
    public int Jobs { get; }

    /// <summary>The refusal code (docs/protocol.md §4), or null when accepted.</summary>
    public string? Code { get; }

    /// <summary>The refusal message, or null when accepted.</summary>
    public string? Message { get; }

    /// <summary>The answer frame itself.</summary>
    public JsonElement Frame { get; }

    /// <summary>Returns this result when the call was accepted; otherwise throws with the server's answer.</summary>
    /// <exception cref="InvalidOperationException">The call was refused.</exception>
    public CallResult EnsureAccepted() =>
        Accepted ? this : throw new InvalidOperationException($"Expected call {Id} to be accepted, got {Frame.GetRawText()}");

    /// <summary>Returns this result when the call was refused with <paramref name="code"/>; otherwise throws.</summary>
    /// <exception cref="InvalidOperationException">The call was accepted, or refused with another code.</exception>
    public CallResult EnsureRefused(string code) =>
        !Accepted && Code == code ? this : throw new InvalidOperationException($"Expected call {Id} to be refused with {code}, got {Frame.GetRawText()}");

    /// <summary>The answer frame as JSON.</summary>
    public override string ToString() => Frame.GetRawText();
}
