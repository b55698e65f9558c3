using System.Text.Json.Nodes;

namespace Switchboard.Demo;

/// <summary>The demo's server handlers; each one has a visible effect on the page.</summary>
public static class DemoSignals
{
    /// <summary>Sends the same opts back to the calling window.</summary>
    [Signal("demo.echo", IsAllowedTo = typeof(Everyone))]
    public static Task Echo(WindowInfo window, ISignals signals, [CatchAll] JsonObject opts) =>
        signals.CallAsync(window, "demo.echoed", to: [Destination.Window], kwargs: opts);

    /// <summary>Posts a chat line to everyone on the room's page.</summary>
    [Signal("demo.chat.post", IsAllowedTo = typeof(Everyone))]
    public static Task ChatPost(WindowInfo window, ISignals signals, string room, string text) =>
        signals.CallAsync(window, "demo.chat.message", to: [RoomTopic(room)],
            kwargs: new ChatMessage(room, text, window.UserName ?? "anonymous"));

    /// <summary>
    /// Joins the calling window to another chat room, live: from now on it gets that room's lines too (no reload), and
    /// keeps them after a reconnect. The browser only asks; server code changes the window's topics.
    /// </summary>
    [Signal("demo.chat.join", IsAllowedTo = typeof(Everyone))]
    public static async Task ChatJoin(WindowInfo window, IWindowControl windows, ISignals signals, string room, CancellationToken cancellationToken = default)
    {
        room = room.Trim();
        if (room.Length is 0 or > 64)
        {
            throw new SignalException("A room name has 1 to 64 characters.");
        }
        await windows.SubscribeAsync(window, [RoomTopic(room)], cancellationToken);
        // After the change in the window's topic: when the page sees this, it is in the room.
        await signals.CallAsync(window, "demo.chat.joined", to: [Destination.Window], kwargs: new ChatJoined(room), cancellationToken: cancellationToken);
    }

    /// <summary>Pings every window (tab) of the calling user.</summary>
    [Signal("demo.user.ping", IsAllowedTo = typeof(IsAuthenticated))]
    public static Task UserPing(WindowInfo window, ISignals signals) =>
        signals.CallAsync(window, "demo.user.pinged", to: [Destination.User], kwargs: new UserPinged(window.UserName));

    /// <summary>Sends a text to every connected window.</summary>
    [Signal("demo.broadcast", IsAllowedTo = typeof(Everyone))]
    public static Task Broadcast(WindowInfo window, ISignals signals, string text) =>
        signals.CallAsync(window, "demo.broadcasted", to: [Destination.Broadcast], kwargs: new Broadcasted(text));

    /// <summary>A slow job on its own queue: reports progress, then a notification.</summary>
    [Signal("demo.slow", IsAllowedTo = typeof(Everyone), Queue = "slow")]
    public static async Task Slow(WindowInfo window, ISignals signals, TimeProvider time, int steps = 5, CancellationToken cancellationToken = default)
    {
        for (var step = 1; step <= steps; step++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), time, cancellationToken);
            await signals.CallAsync(window, "demo.progress", to: [Destination.Window], kwargs: new Progress(step, steps), cancellationToken: cancellationToken);
        }
        await signals.NotifyAsync(window, $"Slow job done ({steps} steps).", title: "demo.slow", level: NotifyLevel.Success, cancellationToken: cancellationToken);
    }

    /// <summary>Answers after a delay: the browser message itself is delayed (countdown).</summary>
    [Signal("demo.delayed", IsAllowedTo = typeof(Everyone))]
    public static Task Delayed(WindowInfo window, ISignals signals, double seconds = 2) =>
        signals.CallAsync(window, "demo.echoed", to: [Destination.Window], kwargs: new { delayed = true, seconds },
            countdown: TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 3600)));

    /// <summary>Only staff may call it; anonymous calls are refused before anything is queued.</summary>
    [Signal("demo.staff_only", IsAllowedTo = typeof(IsStaff))]
    public static Task StaffOnly(WindowInfo window, ISignals signals) =>
        signals.CallAsync(window, "demo.staff_done", to: [Destination.Window], kwargs: new StaffDone(window.UserName));

    /// <summary>The topic of a chat room, the same in the page and the handler: a record (<see cref="ChatRoom"/>).</summary>
    public static ChatRoom RoomTopic(string room) => new(room);
}
