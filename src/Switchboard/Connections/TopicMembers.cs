namespace Switchboard.Connections;

/// <summary>
/// The local windows of one topic and the state of this node's broker subscription to it, for
/// <see cref="LocalTopicRegistry"/>. Every field is guarded by locking the instance itself (no extra lock object per
/// topic: every window has its own WINDOW topic). <see cref="Busy"/> is the broker operation in flight: only one at a
/// time per topic, so a subscribe is never reordered with its unsubscribe; membership changes wait for it.
/// </summary>
internal sealed class TopicMembers
{
    /// <summary>Marks <see cref="_snapshot"/> as out of date: the next <see cref="Snapshot"/> rebuilds it.</summary>
    private static readonly object Stale = new();

    // A WindowConnection (one window: no set, no array) or a HashSet of them.
    private object? _members;
    // What Snapshot returns (see TopicWindows), or Stale.
    private object? _snapshot;

    public int Count { get; private set; }

    /// <summary>Whether the broker subscription is in place (the last broker operation was a successful subscribe).</summary>
    public bool Subscribed { get; private set; }

    /// <summary>Completes when the broker operation in flight ends; null when none is.</summary>
    public Task? Busy { get; private set; }

    /// <summary>Set once the entry has left the registry's map: later changes must use a new entry.</summary>
    public bool Retired { get; set; }

    public bool Contains(WindowConnection window) => _members switch
    {
        WindowConnection single => ReferenceEquals(single, window),
        HashSet<WindowConnection> set => set.Contains(window),
        _ => false,
    };

    /// <summary>Adds <paramref name="window"/> (no-op if present). Caller holds the lock.</summary>
    public void Add(WindowConnection window)
    {
        switch (_members)
        {
            case null:
                _members = window;
                break;
            case WindowConnection single when ReferenceEquals(single, window):
                return;
            case WindowConnection single:
                _members = new HashSet<WindowConnection> { single, window };
                break;
            case HashSet<WindowConnection> set when !set.Add(window):
                return;
        }
        Count++;
        Changed();
    }

    /// <summary>Removes <paramref name="window"/> (no-op if absent). Caller holds the lock.</summary>
    public void Remove(WindowConnection window)
    {
        switch (_members)
        {
            case WindowConnection single when ReferenceEquals(single, window):
                _members = null;
                break;
            case HashSet<WindowConnection> set when set.Remove(window):
                if (set.Count == 1)
                {
                    // Back to one window: drop the set (a user's topic usually goes back to one tab).
                    using var last = set.GetEnumerator();
                    last.MoveNext();
                    _members = last.Current;
                }
                break;
            default:
                return;
        }
        Count--;
        Changed();
    }

    /// <summary>Starts a broker operation; its task is <see cref="Busy"/> until <see cref="EndOperation"/>. Caller holds the lock.</summary>
    public TaskCompletionSource StartOperation()
    {
        var operation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Busy = operation.Task;
        return operation;
    }

    /// <summary>Records the broker's state after the operation. Caller holds the lock, then completes the operation outside it.</summary>
    public void EndOperation(bool subscribed)
    {
        Subscribed = subscribed;
        Busy = null;
    }

    /// <summary>
    /// The windows now. Without changes since the last call this only reads a field; after a change the first caller
    /// rebuilds the snapshot (once per change burst, not per join or leave).
    /// </summary>
    public TopicWindows Snapshot()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (ReferenceEquals(snapshot, Stale))
        {
            lock (this)
            {
                snapshot = _snapshot;
                if (ReferenceEquals(snapshot, Stale))
                {
                    snapshot = TopicWindows.Build((HashSet<WindowConnection>)_members!, Count);
                    Volatile.Write(ref _snapshot, snapshot);
                }
            }
        }
        return new TopicWindows(snapshot);
    }

    private void Changed() =>
        // Zero or one window is its own snapshot; a set's snapshot is rebuilt on the next read.
        Volatile.Write(ref _snapshot, _members is HashSet<WindowConnection> ? Stale : _members);
}
