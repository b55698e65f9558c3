using System.Collections.Concurrent;

namespace Switchboard.Internal.InMemory;

/// <summary>
/// The in-memory <see cref="ITopicStore"/>: entries expire after their TTL and are swept once a minute. An entry is kept
/// inline in the dictionary's node (topics and expiry ticks, no object of its own): the store holds one per page for
/// hours.
/// </summary>
internal sealed class InMemoryTopicStore(TimeProvider time) : ITopicStore
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public ValueTask SetAsync(string windowKey, IReadOnlyList<string> topics, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(windowKey);
        ArgumentNullException.ThrowIfNull(topics);
        var now = time.GetUtcNow();
        _entries[windowKey] = new Entry([.. topics], (now + timeToLive).UtcTicks);
        SweepIfDue(now);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>?> GetAsync(string windowKey, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(windowKey, out var entry))
        {
            if (entry.ExpiresAtTicks > time.GetUtcNow().UtcTicks)
            {
                return ValueTask.FromResult<IReadOnlyList<string>?>(entry.Topics);
            }
            _entries.TryRemove(new KeyValuePair<string, Entry>(windowKey, entry));
        }
        return ValueTask.FromResult<IReadOnlyList<string>?>(null);
    }

    public ValueTask<IReadOnlyList<string>?> ChangeAsync(string windowKey, IReadOnlyList<string> add, IReadOnlyList<string> remove, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(windowKey);
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        var now = time.GetUtcNow();
        while (_entries.TryGetValue(windowKey, out var entry))
        {
            if (entry.ExpiresAtTicks <= now.UtcTicks)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(windowKey, entry));
                break;
            }
            var topics = new List<string>(entry.Topics.Length + add.Count);
            foreach (var topic in entry.Topics)
            {
                if (!remove.Contains(topic, StringComparer.Ordinal))
                {
                    topics.Add(topic);
                }
            }
            foreach (var topic in add)
            {
                if (!remove.Contains(topic, StringComparer.Ordinal) && !topics.Contains(topic, StringComparer.Ordinal))
                {
                    topics.Add(topic);
                }
            }
            var changed = new Entry([.. topics], (now + timeToLive).UtcTicks);
            // Compare-and-swap: a concurrent change of the same window is applied after this one, never lost.
            if (_entries.TryUpdate(windowKey, changed, entry))
            {
                return ValueTask.FromResult<IReadOnlyList<string>?>(changed.Topics);
            }
        }
        return ValueTask.FromResult<IReadOnlyList<string>?>(null);
    }

    public ValueTask<bool> RefreshAsync(string windowKey, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(windowKey);
        var now = time.GetUtcNow();
        while (_entries.TryGetValue(windowKey, out var entry))
        {
            if (entry.ExpiresAtTicks <= now.UtcTicks)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(windowKey, entry));
                break;
            }
            if (_entries.TryUpdate(windowKey, entry with { ExpiresAtTicks = (now + timeToLive).UtcTicks }, entry))
            {
                return ValueTask.FromResult(true);
            }
        }
        return ValueTask.FromResult(false);
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }
        _nextSweep = now + SweepInterval;
        foreach (var pair in _entries)
        {
            if (pair.Value.ExpiresAtTicks <= now.UtcTicks)
            {
                _entries.TryRemove(pair);
            }
        }
    }

    private readonly record struct Entry(string[] Topics, long ExpiresAtTicks);
}
