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
