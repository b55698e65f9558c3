namespace Switchboard;

/// <summary>
/// The only exception whose message reaches the browser (in a <c>handler_failed</c> error frame). Throw it from a
/// handler to tell the calling window what went wrong; other exceptions are reported with a generic message unless
/// <see cref="SwitchboardOptions.DetailedErrors"/> is on.
/// </summary>
public class SignalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SignalException() { }

    /// <summary>Creates the exception with a message shown to the calling window.</summary>
    public SignalException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public SignalException(string message, Exception innerException) : base(message, innerException) { }
}
