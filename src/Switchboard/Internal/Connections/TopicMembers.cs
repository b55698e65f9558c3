namespace Switchboard.Internal.Connections;

/// <summary>
/// The local windows of one topic and the state of this node's broker subscription to it, for
/// <see cref="LocalTopicRegistry"/>. Every field is guarded by locking the instance itself, and the entry is two
/// references (no extra lock object, no array: every window has its own WINDOW topic, so there are as many entries as
/// windows). <see cref="Busy"/> is the broker operation in flight: only one at a time per topic, so a subscribe is never
/// reordered with its unsubscribe; membership changes wait for it.
/// </summary>
internal sealed class TopicMembers
{
    private static readonly object SubscribedState = new();
    private static readonly object RetiredState = new();

    // Null (no window), the one WindowConnection (no set, no array) or a WindowSet of two or more.
    private object? _members;
    // Null: idle, not subscribed; SubscribedState: idle, subscribed; RetiredState; or the Task of the operation in flight.
    private object? _state;

    public int Count => _members switch
    {
        null => 0,
        WindowSet set => set.Count,
        _ => 1,
    };

    /// <summary>Whether the broker subscription is in place (the last broker operation was a successful subscribe).</summary>
    public bool Subscribed => ReferenceEquals(_state, SubscribedState);

    /// <summary>Completes when the broker operation in flight ends; null when none is.</summary>
    public Task? Busy => _state as Task;

    /// <summary>Whether the entry has left the registry's map: later changes must use a new entry.</summary>
    public bool Retired => ReferenceEquals(_state, RetiredState);

    public bool Contains(WindowConnection window) => _members switch
    {
        WindowSet set => set.Contains(window),
        var single => ReferenceEquals(single, window),
    };

    /// <summary>Adds <paramref name="window"/> (no-op if present). Caller holds the lock.</summary>
    public void Add(WindowConnection window)
    {
        switch (_members)
        {
            case null:
                Volatile.Write(ref _members, window);
                break;
            case WindowSet set:
                if (set.Add(window))
                {
                    Volatile.Write(ref set.Snapshot, null);
                }
                break;
            case var single when !ReferenceEquals(single, window):
                Volatile.Write(ref _members, new WindowSet { (WindowConnection)single, window });
                break;
        }
    }

    /// <summary>Removes <paramref name="window"/> (no-op if absent). Caller holds the lock.</summary>
    public void Remove(WindowConnection window)
    {
        switch (_members)
        {
            case WindowSet set when set.Remove(window):
                Volatile.Write(ref set.Snapshot, null);
                if (set.Count == 1)
                {
                    // Back to one window: drop the set (a user's topic usually goes back to one tab).
                    using var last = set.GetEnumerator();
                    last.MoveNext();
                    Volatile.Write(ref _members, last.Current);
                }
                break;
            case WindowConnection single when ReferenceEquals(single, window):
                Volatile.Write(ref _members, null);
                break;
        }
    }

    /// <summary>Starts a broker operation; its task is <see cref="Busy"/> until <see cref="EndOperation"/>. Caller holds the lock.</summary>
    public TaskCompletionSource StartOperation()
    {
        var operation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _state = operation.Task;
        return operation;
    }

    /// <summary>Records the broker's state after the operation. Caller holds the lock, then completes the operation outside it.</summary>
    public void EndOperation(bool subscribed) => _state = subscribed ? SubscribedState : null;

    /// <summary>Marks the entry as out of the map. Caller holds the lock; the entry is idle and unsubscribed.</summary>
    public void Retire() => _state = RetiredState;

    /// <summary>One of the windows now (the one window of a WINDOW topic), or null: tells what kind of topic it is.</summary>
    public WindowConnection? First()
    {
        foreach (var window in Snapshot())
        {
            return window;
        }
        return null;
    }

    /// <summary>
    /// The windows now. Without changes since the last call this only reads fields; after a change to a topic of two or
    /// more windows the first caller rebuilds the snapshot (once per change burst, not per join or leave).
    /// </summary>
    public TopicWindows Snapshot()
    {
        var members = Volatile.Read(ref _members);
        if (members is not WindowSet set)
        {
            return new TopicWindows(members);
        }
        var snapshot = Volatile.Read(ref set.Snapshot);
        if (snapshot is null)
        {
            lock (this)
            {
                snapshot = set.Snapshot;
                if (snapshot is null)
                {
                    // The set may have been replaced meanwhile; this snapshot of it is still one the caller may see.
                    snapshot = TopicWindows.Build(set, set.Count);
                    Volatile.Write(ref set.Snapshot, snapshot);
                }
            }
        }
        return new TopicWindows(snapshot);
    }
}
