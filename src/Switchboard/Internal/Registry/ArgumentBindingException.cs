namespace Switchboard.Internal.Registry;

/// <summary>A handler cannot be called with the given kwargs; the message is safe to show to the calling window.</summary>
internal sealed class ArgumentBindingException(string message) : Exception(message);
