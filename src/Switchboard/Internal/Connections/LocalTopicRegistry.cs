using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Switchboard.Internal.Presence;
using Switchboard.Internal.Protocol;

namespace Switchboard.Internal.Connections;

/// <summary>
/// This node's topic → windows map (local fan-out, never behind a seam). The node subscribes to a topic on the
/// broker when its first local window needs it and unsubscribes after the last one leaves. Each topic orders its own
/// broker operations (one at a time, see <see cref="TopicMembers"/>), so a topic's subscribe is never reordered with its
/// unsubscribe while joins and leaves of other topics go on in parallel. A join or leave costs O(1); the snapshot that
/// <see cref="Get"/> returns is rebuilt on the first read after a change, in chunks that stay off the large-object heap.
/// Every join and leave of a topic, and a window's arrival and departure, is told to the <see cref="IWindowObserver"/>
/// (presence and the window lifecycle), which only queues it.
/// </summary>
internal sealed partial class LocalTopicRegistry(IBroker broker, ILogger<LocalTopicRegistry> logger, IWindowObserver? observer = null)
{
    private readonly ConcurrentDictionary<string, TopicMembers> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<WindowConnection, byte> _windows = new();

    public int WindowCount => _windows.Count;

    public int TopicCount => _topics.Count;

    /// <summary>
    /// The topics with the most windows on this node, at most <paramref name="count"/>, most first (the dashboard's
    /// list), each with its kind for a window in it ("BROADCAST", "USER", or null for a chosen topic). Each window's own
    /// topic is left out: every window has one, with one window in it, whose built-in keys (made by the serializer) say
    /// so. One pass with a heap of <paramref name="count"/> entries: a node may hold millions of topics.
    /// </summary>
    public IReadOnlyList<(string Topic, int Windows, string? Kind)> TopTopics(int count)
    {
        var heap = new PriorityQueue<(string Topic, string? Kind), int>(count + 1);
        foreach (var (topic, members) in _topics)
        {
            var windows = members.Count;
            var kind = windows == 0 ? null : members.First()?.Own.KindOf(topic);
            if (windows == 0 || kind == "WINDOW")
            {
                continue;
            }
            heap.Enqueue((topic, kind), windows);
            if (heap.Count > count)
            {
                heap.Dequeue();
            }
        }
        var result = new List<(string, int, string?)>(heap.Count);
        while (heap.TryDequeue(out var entry, out var windows))
        {
            result.Add((entry.Topic, windows, entry.Kind));
        }
        result.Reverse();
        return result;
    }

    /// <summary>The local windows of <paramref name="topic"/>: one dictionary read, no allocation unless it changed.</summary>
    public TopicWindows Get(string topic) => _topics.TryGetValue(topic, out var members) ? members.Snapshot() : default;

    public ICollection<WindowConnection> AllWindows => _windows.Keys;

    /// <summary>Bytes waiting in every local window's send queue (the outbox gauge; walks the windows, read only when collected).</summary>
    public long OutboxBytes()
    {
        long bytes = 0;
        foreach (var window in _windows)
        {
            bytes += window.Key.QueuedBytes;
        }
        return bytes;
    }

    /// <summary>
    /// Adds the window to each of its topics; returns once the node is subscribed to all of them, so nothing published
    /// after this returns can miss the window. On failure (or cancellation) the window is in none of them.
    /// </summary>
    public async Task AddAsync(WindowConnection window, CancellationToken cancellationToken)
    {
        var topics = window.Topics;
        var joined = 0;
        try
        {
            for (; joined < topics.Count; joined++)
            {
                await JoinAsync(topics[joined], window, cancellationToken);
            }
            _windows.TryAdd(window, 0);
            observer?.Opened(window, window.Window);
        }
        catch
        {
            // Roll back so a failed subscription leaves no half-registered window behind.
            for (var i = 0; i < joined; i++)
            {
                await LeaveAsync(topics[i], window);
            }
            throw;
        }
    }

    /// <summary>Removes the window from its topics; once this returns, <see cref="Get"/> no longer returns it.</summary>
    public async Task RemoveAsync(WindowConnection window)
    {
        _windows.TryRemove(window, out _);
        // Retired first: a topic joined on command (JoinTopicAsync) meanwhile is either in this list or left by its joiner.
        foreach (var topic in window.RetireTopics())
        {
            await LeaveAsync(topic, window);
        }
        observer?.Closed(window, window.Window);
    }

    /// <summary>
    /// Adds a connected window to one more topic (a change made by server code); returns once the node is subscribed,
    /// false when the window had it already or is gone. On failure the window is not in the topic.
    /// </summary>
    public async Task<bool> JoinTopicAsync(WindowConnection window, string topic, CancellationToken cancellationToken)
    {
        if (!window.TryAddTopic(topic))
        {
            return false;
        }
        try
        {
            await JoinAsync(topic, window, cancellationToken);
        }
        catch
        {
            window.TryRemoveTopic(topic);
            throw;
        }
        if (window.TopicsRetired)
        {
            // The socket ended while joining: RemoveAsync may have left before the join landed.
            await LeaveAsync(topic, window);
            return false;
        }
        return true;
    }

    /// <summary>Takes a connected window out of one topic; false when it was not in it.</summary>
    public async Task<bool> LeaveTopicAsync(WindowConnection window, string topic)
    {
        if (!window.TryRemoveTopic(topic))
        {
            return false;
        }
        await LeaveAsync(topic, window);
        return true;
    }

    private async ValueTask JoinAsync(string topic, WindowConnection window, CancellationToken cancellationToken)
    {
        while (true)
        {
            var members = _topics.GetOrAdd(topic, static _ => new TopicMembers());
            Task? busy;
            TaskCompletionSource? subscribing = null;
            lock (members)
            {
                if (members.Retired)
                {
                    continue;
                }
                busy = members.Busy;
                if (busy is null)
                {
                    members.Add(window);
                    if (members.Subscribed)
                    {
                        Joined(window, topic);
                        return;
                    }
                    subscribing = members.StartOperation();
                }
            }
            if (subscribing is null)
            {
                // A subscribe or unsubscribe of this topic is in flight: join after it, as if it came first.
                await busy!.WaitAsync(cancellationToken);
                continue;
            }
            try
            {
                await broker.SubscribeAsync(topic, cancellationToken);
            }
            catch
            {
                lock (members)
                {
                    members.Remove(window);
                    members.EndOperation(subscribed: false);
                    // Joins wait while a subscribe is in flight, so the window was the only one.
                    Retire(topic, members);
                }
                subscribing.SetResult();
                throw;
            }
            lock (members)
            {
                members.EndOperation(subscribed: true);
            }
            subscribing.SetResult();
            Joined(window, topic);
            return;
        }
    }

    private async ValueTask LeaveAsync(string topic, WindowConnection window)
    {
        while (_topics.TryGetValue(topic, out var members))
        {
            Task? busy;
            TaskCompletionSource? unsubscribing = null;
            lock (members)
            {
                if (members.Retired)
                {
                    continue;
                }
                if (!members.Contains(window))
                {
                    return;
                }
                busy = members.Busy;
                if (busy is null)
                {
                    members.Remove(window);
                    Left(window, topic);
                    if (members.Count > 0)
                    {
                        return;
                    }
                    if (!members.Subscribed)
                    {
                        Retire(topic, members);
                        return;
                    }
                    unsubscribing = members.StartOperation();
                }
            }
            if (unsubscribing is null)
            {
                await busy!;
                continue;
            }
            try
            {
                await broker.UnsubscribeAsync(topic, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogUnsubscribeFailed(logger, topic, e);
            }
            lock (members)
            {
                members.EndOperation(subscribed: false);
                // Joins wait while the unsubscribe is in flight: the topic is unused; a later join starts a new entry.
                Retire(topic, members);
            }
            unsubscribing.SetResult();
            return;
        }
    }

    /// <summary>Tells the observer, but not of the window's own WINDOW topic: it never has presence.</summary>
    private void Joined(WindowConnection window, string topic)
    {
        if (topic != window.Own.Window)
        {
            observer?.Joined(window, window.Window, topic);
        }
    }

    /// <summary>The twin of <see cref="Joined"/> for a window leaving a topic.</summary>
    private void Left(WindowConnection window, string topic)
    {
        if (topic != window.Own.Window)
        {
            observer?.Left(window, window.Window, topic);
        }
    }

    /// <summary>Takes an unused entry out of the map. Caller holds its lock; joins that still hold it start over.</summary>
    private void Retire(string topic, TopicMembers members)
    {
        if (_topics.TryRemove(new KeyValuePair<string, TopicMembers>(topic, members)))
        {
            TopicIds.Forget(topic);
        }
        members.Retire();
    }

    [LoggerMessage(EventId = 1301, EventName = "BrokerUnsubscribeFailed", Level = LogLevel.Warning,
        Message = "Unsubscribing the broker from topic {Topic} failed; the node may keep receiving its messages.")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string topic, Exception exception);
}
