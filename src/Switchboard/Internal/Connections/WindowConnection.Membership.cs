namespace Switchboard.Internal.Connections;

// The window's topics, which server code may change while it is connected (IWindowControl), and work that must run
// with the window's live frames held (a change of topics, a replay): a partial of the same class by concern only.
internal sealed partial class WindowConnection
{
    private readonly Lock _topicsGate = new();
    private string[] _topics;
    private bool _topicsRetired;
    private string[]? _left; // topics left on command: a delivery from a snapshot taken before the leave is dropped

    /// <summary>The topics the window is registered for on this node (a snapshot: changes replace the array).</summary>
    public IReadOnlyList<string> Topics => Volatile.Read(ref _topics);

    /// <summary>
    /// Whether the window left <paramref name="topic"/> on command: a publisher that read the topic's windows before the
    /// leave may still hand it a frame, which must not reach the window.
    /// </summary>
    private bool HasLeft(string topic) => Volatile.Read(ref _left) is { } left && Array.IndexOf(left, topic) >= 0;

    /// <summary>Whether the window is in <paramref name="topic"/>.</summary>
    public bool HasTopic(string topic) => Array.IndexOf(Volatile.Read(ref _topics), topic) >= 0;

    /// <summary>Whether the window has left all its topics for good (its socket ended): nothing may join it any more.</summary>
    public bool TopicsRetired
    {
        get
        {
            lock (_topicsGate)
            {
                return _topicsRetired;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="topic"/> is the window's own WINDOW or USER topic, the only topics whose commands
    /// (IWindowControl) apply to it; a window that chose another window's or user's topic only moves along it.
    /// </summary>
    public bool Owns(string topic) => Own.Owns(topic);

    /// <summary>Whether <paramref name="topic"/> is one every window keeps (WINDOW, USER, BROADCAST): never left on command.</summary>
    public bool IsDefaultTopic(string topic) => Own.IsBuiltIn(topic);

    /// <summary>Adds <paramref name="topic"/>; false when the window has it already or has retired its topics.</summary>
    public bool TryAddTopic(string topic)
    {
        lock (_topicsGate)
        {
            if (_topicsRetired || Array.IndexOf(_topics, topic) >= 0)
            {
                return false;
            }
            _topics = [.. _topics, topic];
            if (_left is { } left && Array.IndexOf(left, topic) >= 0)
            {
                Volatile.Write<string[]?>(ref _left, left.Length == 1 ? null : [.. left.Where(t => t != topic)]);
            }
            return true;
        }
    }

    /// <summary>Removes <paramref name="topic"/>; false when the window did not have it.</summary>
    public bool TryRemoveTopic(string topic)
    {
        lock (_topicsGate)
        {
            var index = Array.IndexOf(_topics, topic);
            if (index < 0)
            {
                return false;
            }
            _topics = [.. _topics[..index], .. _topics[(index + 1)..]];
            if (_left is null || Array.IndexOf(_left, topic) < 0)
            {
                Volatile.Write<string[]?>(ref _left, [.. _left ?? [], topic]);
            }
            return true;
        }
    }

    private Dictionary<string, TopicPosition>? _leaving;

    /// <summary>
    /// Notes, when a leave is delivered (before it is applied), the left topic's position when the change was made:
    /// a join applied before it must not replay that topic's history past it. The earliest mark of a topic counts.
    /// </summary>
    public void MarkLeaving(string topic, TopicPosition at)
    {
        lock (_topicsGate)
        {
            _leaving ??= new Dictionary<string, TopicPosition>(StringComparer.Ordinal);
            _leaving.TryAdd(topic, at);
        }
    }

    /// <summary>The position past which <paramref name="topic"/> is being left (a delivered leave not applied yet), or null.</summary>
    public TopicPosition? LeavingAt(string topic)
    {
        lock (_topicsGate)
        {
            return _leaving is not null && _leaving.TryGetValue(topic, out var at) ? at : null;
        }
    }

    /// <summary>The leave of <paramref name="topic"/> marked at <paramref name="at"/> is applied.</summary>
    public void ClearLeaving(string topic, TopicPosition at)
    {
        lock (_topicsGate)
        {
            if (_leaving is not null && _leaving.TryGetValue(topic, out var marked) && marked == at)
            {
                _leaving.Remove(topic);
            }
        }
    }

    /// <summary>From now on no topic can be added; returns the topics to leave.</summary>
    public IReadOnlyList<string> RetireTopics()
    {
        lock (_topicsGate)
        {
            _topicsRetired = true;
            return _topics;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with the window's live frames held, after any work queued before it and after the
    /// frames delivered before this call: the work computes what to send, and the compose function it returns gets the
    /// frames held meanwhile and returns what to queue (see <see cref="ReleaseLive"/>). A work that fails closes the
    /// window with 1011 (it reconnects, and its topics are read again). Completes once the work has run.
    /// </summary>
    public Task HoldWhile(Func<Task<Func<IReadOnlyList<byte[]>, IEnumerable<byte[]>>>> work)
    {
        var item = new HeldWork(work);
        bool start;
        lock (_holdGate)
        {
            start = _held is null;
            if (start)
            {
                _held = [];
            }
            else
            {
                _held!.Add(item);
            }
        }
        if (start)
        {
            Run(item);
        }
        return item.Done.Task;
    }

    /// <summary>Starts held work on the thread pool: never on the publisher's thread, which may hold the broker's locks.</summary>
    private void Run(HeldWork item) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Connection.RunAsync(state.Item), (Connection: this, Item: item), preferLocal: false);

    private async Task RunAsync(HeldWork item)
    {
        Func<IReadOnlyList<byte[]>, IEnumerable<byte[]>> compose;
        try
        {
            compose = await item.Work();
        }
        catch (Exception)
        {
            // The work logs its own failures; whatever it could not finish, the window must not keep holding its frames.
            RequestClose(Protocol.ProtocolNames.CloseCodes.InternalError, "window change failed");
            compose = static _ => [];
        }
        ReleaseLive(compose);
        item.Done.TrySetResult();
    }

    /// <summary>Work queued among the held frames.</summary>
    private sealed class HeldWork(Func<Task<Func<IReadOnlyList<byte[]>, IEnumerable<byte[]>>>> work)
    {
        public Func<Task<Func<IReadOnlyList<byte[]>, IEnumerable<byte[]>>>> Work { get; } = work;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
