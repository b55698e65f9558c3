namespace Switchboard.Internal.Windows;

/// <summary>
/// A window's built-in topic keys (BROADCAST, WINDOW, USER), made once by <see cref="TopicKeys"/> when the window connects
/// or its page is rendered: code that must tell a window's own topics from the others compares with these, never parses
/// a key. Each is null when the registered serializer gives the window no such topic (anonymous: no USER).
/// </summary>
internal readonly record struct OwnTopics(string? Broadcast, string? Window, string? User)
{
    /// <summary>Whether <paramref name="topic"/> is the window's WINDOW or USER topic (where its commands come).</summary>
    public bool Owns(string topic) => topic == Window || topic == User;

    /// <summary>Whether <paramref name="topic"/> is one every window keeps: WINDOW, USER or BROADCAST.</summary>
    public bool IsBuiltIn(string topic) => topic == Broadcast || Owns(topic);

    /// <summary>Which built-in <paramref name="topic"/> is for this window ("BROADCAST", "WINDOW", "USER"), or null.</summary>
    public string? KindOf(string topic) =>
        topic == Window ? "WINDOW" : topic == User ? "USER" : topic == Broadcast ? "BROADCAST" : null;

    /// <summary>The keys as a topic list, BROADCAST first (the order windows always had), without the null ones.</summary>
    public List<string> ToList()
    {
        var topics = new List<string>(3);
        if (Broadcast is not null)
        {
            topics.Add(Broadcast);
        }
        if (Window is not null)
        {
            topics.Add(Window);
        }
        if (User is not null)
        {
            topics.Add(User);
        }
        return topics;
    }
}
