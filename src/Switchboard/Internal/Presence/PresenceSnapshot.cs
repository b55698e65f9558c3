namespace Switchboard.Internal.Presence;

/// <summary>Builds a <see cref="PresenceInfo"/> from a topic's live entries, and the kwargs browsers get from it.</summary>
internal static class PresenceSnapshot
{
    public static PresenceInfo From(string topic, IReadOnlyList<PresenceEntry> entries)
    {
        var anonymous = 0;
        var users = new Dictionary<string, (string Name, int Windows)>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.UserId is not { } id)
            {
                anonymous++;
                continue;
            }
            var name = users.TryGetValue(id, out var known) ? known.Name : entry.UserName ?? id;
            users[id] = (name, known.Windows + 1);
        }
        return new PresenceInfo
        {
            Topic = topic,
            Windows = entries.Count,
            AnonymousWindows = anonymous,
            Users = [.. users
                .Select(u => new PresenceUser(u.Key, u.Value.Name, u.Value.Windows))
                .OrderBy(u => u.Name, StringComparer.Ordinal)
                .ThenBy(u => u.Id, StringComparer.Ordinal)],
        };
    }

    /// <summary>The change signal's kwargs: names and counts only (no user ids, no window keys); <paramref name="display"/> is the topic as browsers see it.</summary>
    public static object Kwargs(PresenceInfo info, string display) => new
    {
        topic = display,
        windows = info.Windows,
        users = info.Users.Select(u => new { name = u.Name, windows = u.Windows }).ToArray(),
        anonymous = info.AnonymousWindows,
    };
}
