namespace Switchboard.Internal.Windows;

/// <summary>The topics every window has: WINDOW, BROADCAST, and USER when authenticated.</summary>
internal static class DefaultTopics
{
    public static List<string> For(WindowInfo window)
    {
        var topics = new List<string>(3) { DefaultTopicSerializer.BroadcastTopic };
        if (window.WindowKey is { } key)
        {
            topics.Add(DefaultTopicSerializer.WindowTopic(key));
        }
        if (window is { IsAuthenticated: true, UserId: { } id })
        {
            topics.Add(DefaultTopicSerializer.UserTopic(id));
        }
        return topics;
    }
}
