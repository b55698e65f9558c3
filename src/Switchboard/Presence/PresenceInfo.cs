namespace Switchboard;

/// <summary>The windows and distinct users on a topic at one moment.</summary>
public sealed class PresenceInfo
{
    /// <summary>The topic key (see <see cref="ITopicSerializer"/>).</summary>
    public required string Topic { get; init; }

    /// <summary>Windows (sockets) on the topic, anonymous ones included.</summary>
    public required int Windows { get; init; }

    /// <summary>The distinct signed-in users, sorted by name then id, with their window counts.</summary>
    public required IReadOnlyList<PresenceUser> Users { get; init; }

    /// <summary>Windows of anonymous users.</summary>
    public required int AnonymousWindows { get; init; }
}
