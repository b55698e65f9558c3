namespace Switchboard.Internal.InMemory;

/// <summary>
/// The in-memory <see cref="IPresenceStore"/>: one process, so one lock over every topic. A topic's state goes away with
/// its last entry.
/// </summary>
internal sealed class InMemoryPresenceStore : IPresenceStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TopicState> _topics = new(StringComparer.Ordinal);

    /// <summary>Topic → latest expiry of an entry added to it: a topic whose value has passed is abandoned.</summary>
    private readonly Dictionary<string, DateTimeOffset> _latest = new(StringComparer.Ordinal);

    public ValueTask<bool> AddAsync(PresenceEntry entry, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (!_topics.TryGetValue(entry.Topic, out var state))
            {
                _topics[entry.Topic] = state = new TopicState();
            }
            if (!_latest.TryGetValue(entry.Topic, out var latest) || latest < expires)
            {
                _latest[entry.Topic] = expires;
            }
            var isNew = !state.Entries.ContainsKey(entry);
            state.Entries[entry] = expires;
            return ValueTask.FromResult(isNew && state.Increment(Group(entry)) == 1);
        }
    }

    public ValueTask<bool> RemoveAsync(PresenceEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            return ValueTask.FromResult(RemoveLocked(entry));
        }
    }

    public ValueTask<IReadOnlyList<PresenceEntry>> GetAsync(string topic, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<PresenceEntry> live = _topics.TryGetValue(topic, out var state)
                ? [.. state.Entries.Where(e => e.Value > now).Select(e => e.Key)]
                : [];
            return ValueTask.FromResult(live);
        }
    }

    public ValueTask<PresenceSweep> SweepAsync(string topic, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_topics.TryGetValue(topic, out var state))
            {
                return ValueTask.FromResult(PresenceSweep.Empty);
            }
            var expired = state.Entries.Where(e => e.Value <= now).Select(e => e.Key).ToList();
            var left = new List<PresenceEntry>();
            foreach (var entry in expired)
            {
                if (RemoveLocked(entry))
                {
                    left.Add(entry);
                }
            }
            return ValueTask.FromResult(expired.Count == 0 ? PresenceSweep.Empty : new PresenceSweep(expired, left));
        }
    }

    public ValueTask<IReadOnlyList<string>> TakeAbandonedTopicsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var taken = _latest.Where(t => t.Value <= now).Take(max).Select(t => t.Key).ToList();
            foreach (var topic in taken)
            {
                _latest.Remove(topic);
            }
            return ValueTask.FromResult<IReadOnlyList<string>>(taken);
        }
    }

    private bool RemoveLocked(PresenceEntry entry)
    {
        if (!_topics.TryGetValue(entry.Topic, out var state) || !state.Entries.Remove(entry))
        {
            return false;
        }
        var left = state.Decrement(Group(entry)) == 0;
        if (state.Entries.Count == 0)
        {
            _topics.Remove(entry.Topic);
        }
        return left;
    }

    /// <summary>The user an entry counts for: anonymous entries all count as one.</summary>
    private static string Group(PresenceEntry entry) => entry.UserId is { } id ? "u:" + id : "a";

    private sealed class TopicState
    {
        public Dictionary<PresenceEntry, DateTimeOffset> Entries { get; } = [];

        private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);

        public int Increment(string user) => _users[user] = _users.GetValueOrDefault(user) + 1;

        public int Decrement(string user)
        {
            var count = _users.GetValueOrDefault(user) - 1;
            if (count <= 0)
            {
                _users.Remove(user);
                return 0;
            }
            return _users[user] = count;
        }
    }
}
