using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Calls;

/// <summary>Destinations of a call: the calling window and the topics of <c>to</c>; one that addresses nobody is never silent.</summary>
internal sealed partial class SignalDispatcher
{
    public WindowInfo? ResolveWindow(object? window) => window switch
    {
        null => null,
        WindowInfo info => info,
        HttpContext http => windows.Create(http, http.Features.Get<WindowFeature>()?.WindowKey),
        _ => throw new ArgumentException($"window must be an HttpContext, a WindowInfo or null, not {window.GetType().FullName}.", nameof(window)),
    };

    private (bool ToServer, List<string> Topics) ResolveDestinations(string signal, WindowInfo? window, IEnumerable<object>? to)
    {
        var toServer = false;
        var list = to as IReadOnlyList<object>;
        var topics = new List<string>(list?.Count ?? 1);
        if (list is null && to is null)
        {
            AddTopic(signal, window, Destination.User, topics);
            return (false, topics);
        }
        if (list is not null)
        {
            for (var i = 0; i < list.Count; i++)
            {
                toServer |= AddTopic(signal, window, list[i], topics);
            }
        }
        else
        {
            foreach (var destination in to!)
            {
                toServer |= AddTopic(signal, window, destination, topics);
            }
        }
        return (toServer, topics);
    }

    /// <summary>Adds the topic of one destination (once); true when it is SERVER.</summary>
    private bool AddTopic(string signal, WindowInfo? window, object destination, List<string> topics)
    {
        if (destination is null)
        {
            throw new ArgumentException("A destination in 'to' is null.", "to");
        }
        if (destination == Destination.Server)
        {
            return true;
        }
        if (serializer.Serialize(window, destination) is not { } topic)
        {
            Unresolved(signal, window, destination);
            return false;
        }
        foreach (var existing in topics)
        {
            if (string.Equals(existing, topic, StringComparison.Ordinal))
            {
                return false;
            }
        }
        topics.Add(topic);
        return false;
    }

    /// <summary>A WINDOW without a window or a USER without a signed-in user: never dropped without a word.</summary>
    private void Unresolved(string signal, WindowInfo? window, object destination)
    {
        var why = destination == Destination.Window ? "the call has no window (pass the handler's WindowInfo, an HttpContext or WindowInfo.ForKey(key))"
            : destination == Destination.User ? (window?.WindowKey is null ? "the call has no window" : "the window's user is anonymous")
            : "the topic serializer mapped it to nobody";
        // A Destination by name, any other value by type only: topic values may carry data the log should not.
        var shown = destination is Destination ? destination.ToString()! : "a " + destination.GetType().Name + " topic";
        LogUnresolvedDestination(logger, signal, shown, why);
        if (options.Value.DetailedErrors)
        {
            throw new InvalidOperationException($"Signal '{signal}': destination {shown} addresses nobody: {why}. (Thrown because DetailedErrors is on; otherwise a warning is logged.)");
        }
    }

    [LoggerMessage(EventId = 1106, EventName = "UnresolvedDestination", Level = LogLevel.Warning,
        Message = "Signal {Signal}: destination {Destination} addresses nobody ({Reason}); nothing was sent to it.")]
    private static partial void LogUnresolvedDestination(ILogger logger, string signal, string destination, string reason);
}
