namespace Switchboard.Internal.Calls;

/// <summary>The outcome of a browser call: queued jobs, or a refusal with its protocol code.</summary>
internal readonly record struct ClientCallResult(int Jobs, string? RefusalCode, string? Message)
{
    public bool Accepted => RefusalCode is null;

    public static ClientCallResult Refused(string code, string message) => new(0, code, message);
}
