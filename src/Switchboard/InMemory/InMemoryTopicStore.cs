using System.Collections.Concurrent;

namespace Switchboard.InMemory;

/// <summary>The in-memory <see cref="ITopicStore"/>: entries expire after their TTL and are swept once a minute.</summary>
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
        _entries[windowKey] = new Entry([.. topics], now + timeToLive);
        SweepIfDue(now);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>?> GetAsync(string windowKey, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(windowKey, out var entry))
        {
            if (entry.ExpiresAt > time.GetUtcNow())
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
            if (pair.Value.ExpiresAt <= now)
            {
                _entries.TryRemove(pair);
            }
        }
    }

    private sealed record Entry(string[] Topics, DateTimeOffset ExpiresAt);
}
