namespace Switchboard.Internal.Presence;

/// <summary>What a <see cref="PresenceEvent"/> tells the tracker's loop.</summary>
internal enum PresenceEventKind
{
    Refresh,
    Opened,
    Joined,
    Left,
    Closed,
}
