using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>
/// An invoke answered with an error (docs/protocol.md §2): refused at dispatch (<c>forbidden</c>, <c>unknown_signal</c>,
/// <c>rate_limited</c>, …) or failed in the worker (<c>handler_failed</c>, <c>bad_arguments</c>, <c>expired</c>).
/// </summary>
public sealed class InvokeException : Exception
{
    /// <summary>Creates the exception for the error <paramref name="code"/> of invoke <paramref name="id"/>.</summary>
    public InvokeException(string function, long id, string code, string errorMessage, JsonElement frame)
        : base($"Invoke {id} of '{function}' failed with {code}: {errorMessage}")
    {
        Function = function;
        Id = id;
        Code = code;
        ErrorMessage = errorMessage;
        Frame = frame;
    }

    /// <summary>The function invoked.</summary>
    public string Function { get; }

    /// <summary>The invoke's id.</summary>
    public long Id { get; }

    /// <summary>The error code (docs/protocol.md §4).</summary>
    public string Code { get; }

    /// <summary>The error message the server sent, as the browser shows it.</summary>
    public string ErrorMessage { get; }

    /// <summary>The <c>result</c> frame itself.</summary>
    public JsonElement Frame { get; }

    /// <summary>Whether the server sequenced the result in the window's topic (a worker's answer) rather than refusing at dispatch.</summary>
    public bool FromWorker => Frame.TryGetProperty("signal_id", out _);
}
