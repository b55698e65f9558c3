namespace Switchboard.Internal.Presence;

/// <summary>The tracker's view of one local socket: its store entries by topic (the lifecycle one included).</summary>
internal sealed class PresenceSocket(string id, WindowInfo window)
{
    /// <summary>Unique on this node, never reused while the process lives.</summary>
    public string Id { get; } = id;

    public WindowInfo Window { get; } = window;

    public Dictionary<string, PresenceEntry> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the registry said the socket opened (all its first topics joined).</summary>
    public bool Opened { get; set; }

    /// <summary>Topics joined before the socket opened whose users it still has to be told.</summary>
    public List<string>? Pending { get; set; }
}
