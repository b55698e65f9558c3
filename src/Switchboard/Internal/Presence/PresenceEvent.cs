namespace Switchboard.Internal.Presence;

/// <summary>One event queued for the tracker's loop; the socket, window and topic are null for a refresh.</summary>
internal readonly record struct PresenceEvent(PresenceEventKind Kind, object? Socket, WindowInfo? Window, string? Topic)
{
    public static PresenceEvent Refresh => new(PresenceEventKind.Refresh, null, null, null);
}
