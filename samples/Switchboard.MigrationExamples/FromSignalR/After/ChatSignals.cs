namespace Switchboard.MigrationExamples.FromSignalR.After;

/// <summary>The hub of docs/from-signalr.md, after the migration: each hub method is a signal or a function.</summary>
public static class ChatSignals
{
    // Groups.AddToGroupAsync: the server decides which topics a window has (check here that the user may enter).
    [Signal("chat.join", IsAllowedTo = typeof(IsAuthenticated))]
    public static Task Join(WindowInfo window, IWindowControl windows, string room, CancellationToken cancellationToken) =>
        windows.SubscribeAsync(window, ["room:" + room], cancellationToken);

    // Clients.Group(...).SendAsync: a call to a topic.
    [Signal("chat.send", IsAllowedTo = typeof(IsAuthenticated))]
    public static Task Send(WindowInfo window, ISignals signals, string room, string text, CancellationToken cancellationToken) =>
        signals.CallAsync(window, "chat.message", to: ["room:" + room],
                          kwargs: new { room, text, from = window.UserName }, cancellationToken: cancellationToken);

    // A hub method that returns a value: a remote function (connection.invoke → df.invoke).
    [Function("chat.add", IsAllowedTo = typeof(IsAuthenticated))]
    public static int Add(WindowInfo window, int a, int b) => a + b;
}
