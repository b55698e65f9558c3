using Switchboard;

namespace SwitchboardApp;

/// <summary>The app's server handlers. A handler runs in a queue worker, never in the WebSocket loop.</summary>
public static class GreetingSignals
{
    /// <summary>
    /// <c>df.call('app.greet', {name})</c> from the page: answers the calling window only with <c>app.greeted</c>, which
    /// the page's browser handler (wwwroot/app.js) shows. Everyone may call it; a name that is empty or too long is
    /// refused with a message the page receives as an error.
    /// </summary>
    [Signal("app.greet", IsAllowedTo = typeof(Everyone))]
    public static Task Greet(WindowInfo window, ISignals signals, string name, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            throw new SignalException("A name has 1 to 100 characters.");
        }
        return signals.CallAsync(window, "app.greeted", to: [Destination.Window],
            kwargs: new { text = $"Hello, {name}!" }, cancellationToken: cancellationToken);
    }
}
