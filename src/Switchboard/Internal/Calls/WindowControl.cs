using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Calls;

/// <summary>
/// The <see cref="IWindowControl"/> implementation: resolves topic keys, updates the stored topic list of a window, and
/// publishes the change (<see cref="WindowCommand"/>) to the window's or the user's own topic, where every node holding
/// one of its sockets applies it (Connections' <c>WindowMembership</c>). Each joined topic's position is read before
/// publishing, so "everything after the join" is "everything after that position", whatever the delivery delay.
/// </summary>
internal sealed partial class WindowControl(
    TopicPublisher publisher,
    IBroker broker,
    ITopicStore store,
    ITopicSerializer serializer,
    TopicKeys topicKeys,
    IOptions<SwitchboardOptions> options,
    ILogger<WindowControl> logger) : IWindowControl
{
    private const int MaxReasonBytes = 123; // what a WebSocket close frame can carry
    private const string DefaultReason = "closed by the server";

    public Task SubscribeAsync(WindowInfo window, IEnumerable<object> topics, CancellationToken cancellationToken = default) =>
        ChangeWindowAsync(window, topics, join: true, cancellationToken);

    public Task UnsubscribeAsync(WindowInfo window, IEnumerable<object> topics, CancellationToken cancellationToken = default) =>
        ChangeWindowAsync(window, topics, join: false, cancellationToken);

    public Task SubscribeUserAsync(string userId, IEnumerable<object> topics, CancellationToken cancellationToken = default) =>
        ChangeUserAsync(userId, topics, join: true, cancellationToken);

    public Task UnsubscribeUserAsync(string userId, IEnumerable<object> topics, CancellationToken cancellationToken = default) =>
        ChangeUserAsync(userId, topics, join: false, cancellationToken);

    public async Task CloseAsync(WindowInfo window, string? reason = null, CancellationToken cancellationToken = default)
    {
        KeyOf(window); // refuses a window without a key
        var body = WindowCommand.CloseBody(ProtocolNames.CloseCodes.ClosedByServer, CheckReason(reason), SignalId.Next());
        await publisher.PublishAsync([topicKeys.Window(window)], body, cancellationToken);
    }

    public async Task CloseUserAsync(string userId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var body = WindowCommand.CloseBody(ProtocolNames.CloseCodes.ClosedByServer, CheckReason(reason), SignalId.Next());
        await publisher.PublishAsync([UserTopic(userId)], body, cancellationToken);
    }

    private async Task ChangeWindowAsync(WindowInfo window, IEnumerable<object> topics, bool join, CancellationToken cancellationToken)
    {
        var key = KeyOf(window);
        var keys = Resolve(window, topics);
        if (keys.Count == 0)
        {
            return;
        }
        var o = options.Value;
        if (join)
        {
            await CheckLimitAsync(window, key, keys, o.MaxTopicsPerWindow, cancellationToken);
        }
        // Read before publishing: a message sent to a joined topic after this call returns lies after these positions
        // (and, for a left topic, is not for the window any more).
        var since = await PositionsAsync(keys, cancellationToken);
        var body = WindowCommand.TopicsBody(join ? keys : [], join ? [] : keys, since, SignalId.Next());
        await publisher.PublishAsync([topicKeys.Window(window)], body, cancellationToken);
        // Stored after publishing: a socket that reads the new list is connecting now, and its replay of the window's
        // topic meets the change (a joined topic is replayed from its join); stored first, a window connecting in
        // between would take the joined topic as new and start it at its head, missing what came since the join.
        var stored = await store.ChangeAsync(key, join ? keys : [], join ? [] : keys, o.TopicsTimeToLive, cancellationToken);
        if (stored is null && join)
        {
            // No list: the page chose no topics (nothing was stored), or its list expired. The joined topics are stored
            // alone; a connecting socket always adds WINDOW, BROADCAST and USER to what it reads.
            LogNoStoredTopics(logger, keys.Count);
            await store.SetAsync(key, keys, o.TopicsTimeToLive, cancellationToken);
        }
    }

    private async Task ChangeUserAsync(string userId, IEnumerable<object> topics, bool join, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var keys = Resolve(null, topics);
        if (keys.Count == 0)
        {
            return;
        }
        var max = options.Value.MaxTopicsPerWindow;
        if (join && keys.Count > max)
        {
            throw new InvalidOperationException(
                $"SubscribeUserAsync got {keys.Count} topics; a window may have at most {max} chosen topics (SwitchboardOptions.MaxTopicsPerWindow).");
        }
        var since = await PositionsAsync(keys, cancellationToken);
        // Each node holding a window of the user applies it and updates that window's stored list.
        var body = WindowCommand.TopicsBody(join ? keys : [], join ? [] : keys, since, SignalId.Next());
        await publisher.PublishAsync([UserTopic(userId)], body, cancellationToken);
    }

    /// <summary>Topic keys of <paramref name="topics"/>, in order, each once; refuses what is no plain topic.</summary>
    private List<string> Resolve(WindowInfo? window, IEnumerable<object> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var keys = new List<string>();
        foreach (var topic in topics)
        {
            if (topic is null)
            {
                throw new ArgumentException("A topic is null.", nameof(topics));
            }
            if (topic is Destination destination)
            {
                throw new ArgumentException(
                    $"{destination} is not a topic a window can join or leave: every window always has WINDOW, BROADCAST and (signed in) USER. Pass plain topic values.",
                    nameof(topics));
            }
            var key = serializer.Serialize(window, topic)
                ?? throw new ArgumentException($"The topic {topic} addresses nobody (the serializer gave no key).", nameof(topics));
            if (!keys.Contains(key, StringComparer.Ordinal))
            {
                keys.Add(key);
            }
        }
        return keys;
    }

    /// <summary>Refuses a join that would give the window more chosen topics than <paramref name="max"/> (checked against its stored list).</summary>
    private async Task CheckLimitAsync(WindowInfo window, string key, List<string> keys, int max, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(key, cancellationToken) ?? [];
        // WINDOW, BROADCAST and USER, which every window has, do not count against the limit.
        var own = topicKeys.Of(window);
        var chosen = current.Count(t => !own.IsBuiltIn(t));
        var added = keys.Count(k => !current.Contains(k, StringComparer.Ordinal));
        if (chosen + added > max)
        {
            throw new InvalidOperationException(
                $"The window would have {chosen + added} chosen topics; it may have at most {max} (SwitchboardOptions.MaxTopicsPerWindow).");
        }
    }

    /// <summary>The user's own topic, where a command reaches every window of the user; refused when the serializer has none.</summary>
    private string UserTopic(string userId) =>
        topicKeys.User(userId) ?? throw new InvalidOperationException(
            $"The topic serializer {topicKeys.SerializerName} gives users no USER topic: a user's windows cannot be changed or closed together.");

    private async Task<Dictionary<string, TopicPosition>> PositionsAsync(List<string> keys, CancellationToken cancellationToken)
    {
        var since = new Dictionary<string, TopicPosition>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            since[key] = await broker.GetPositionAsync(key, cancellationToken);
        }
        return since;
    }

    private static string KeyOf(WindowInfo window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return string.IsNullOrEmpty(window.WindowKey)
            ? throw new ArgumentException("The window has no window key: only a page's window can be changed or closed.", nameof(window))
            : window.WindowKey;
    }

    private static string CheckReason(string? reason)
    {
        if (reason is null)
        {
            return DefaultReason;
        }
        return Encoding.UTF8.GetByteCount(reason) <= MaxReasonBytes
            ? reason
            : throw new ArgumentException($"A close reason is at most {MaxReasonBytes} UTF-8 bytes (a WebSocket close frame's limit).", nameof(reason));
    }

    [LoggerMessage(EventId = 1130, EventName = "NoStoredTopics", Level = LogLevel.Debug,
        Message = "A window with no stored topic list (its page chose none, or the list expired) joins {Count} topics: they are stored alone.")]
    private static partial void LogNoStoredTopics(ILogger logger, int count);
}
