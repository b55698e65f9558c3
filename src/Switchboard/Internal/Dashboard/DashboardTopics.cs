namespace Switchboard.Internal.Dashboard;

/// <summary>
/// The dashboard's topics and signal names. Its two topics are <see cref="ISignalTopic"/> values
/// (<c>switchboard.dashboard</c>, <c>switchboard.dashboard.watch</c>) whose keys the registered
/// <see cref="ITopicSerializer"/> makes, once, like every other key (<c>-topic.switchboard.dashboard</c> by default). A
/// string topic never gives those keys, so an application's <c>SetWebSocketTopics("…")</c> cannot put a page on them:
/// only the dashboard page, served to authorized users, subscribes its window to <see cref="Page"/>.
/// </summary>
internal sealed class DashboardTopics
{
    /// <summary>The browser signal carrying one node's snapshot.</summary>
    public const string NodeSignal = "switchboard.dashboard.node";

    /// <summary>The browser signal carrying the queues' statistics and dead letters.</summary>
    public const string QueuesSignal = "switchboard.dashboard.queues";

    /// <summary>The signal of the watch topic's messages (no window receives them).</summary>
    public const string WatchSignal = "switchboard.dashboard.watch";

    private readonly Lazy<string> _page;
    private readonly Lazy<string> _watch;

    public DashboardTopics(ITopicSerializer serializer)
    {
        _page = new(() => KeyOf(serializer, "switchboard.dashboard"));
        _watch = new(() => KeyOf(serializer, "switchboard.dashboard.watch"));
    }

    /// <summary>The dashboard windows' topic: node snapshots and queue snapshots are published to it.</summary>
    public string Page => _page.Value;

    /// <summary>Nodes with a dashboard window publish to it while watched; every node reads its position to know.</summary>
    public string Watch => _watch.Value;

    private static string KeyOf(ITopicSerializer serializer, string key)
    {
        string? topic;
        try
        {
            topic = serializer.Serialize(null, new Topic(key));
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(
                $"The topic serializer {serializer.GetType().FullName} cannot serialize the dashboard's topic (an {nameof(ISignalTopic)} with key '{key}'): {e.Message}", e);
        }
        return string.IsNullOrEmpty(topic)
            ? throw new InvalidOperationException(
                $"The topic serializer {serializer.GetType().FullName} gives the dashboard's topic (an {nameof(ISignalTopic)} with key '{key}') no key.")
            : topic;
    }

    /// <summary>A dashboard topic as a value the serializer knows.</summary>
    private sealed class Topic(string key) : ISignalTopic
    {
        public string TopicKey => key;
    }
}
