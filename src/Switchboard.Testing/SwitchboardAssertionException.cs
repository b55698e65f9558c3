namespace Switchboard.Testing;

/// <summary>
/// An assertion of Switchboard.Testing failed (<see cref="SentMessages.Single(string)"/>, <see cref="SentMessages.AssertNothingSent"/>,
/// …). Its message says what was expected and lists what was sent instead; any test framework reports it as a failure.
/// </summary>
public sealed class SwitchboardAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SwitchboardAssertionException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public SwitchboardAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public SwitchboardAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
