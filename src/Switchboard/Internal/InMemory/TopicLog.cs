namespace Switchboard.Internal.InMemory;

/// <summary>
/// One topic's sequence and history in memory: a ring of the last messages, trimmed by count and age. Callers hold
/// the instance's lock while appending so positions and delivery order agree.
/// </summary>
internal sealed class TopicLog(string epoch, DateTimeOffset now)
{
    private HistoryEntry[] _ring = new HistoryEntry[4];
    private int _start;
    private int _count;

    public string Epoch { get; } = epoch;

    public long Sequence { get; private set; }

    public DateTimeOffset LastTouched { get; private set; } = now;

    private DateTimeOffset[] _times = new DateTimeOffset[4];

    public TopicPosition Head => new(Sequence, Epoch);

    public void Touch(DateTimeOffset now) => LastTouched = now;

    public TopicPosition Append(ReadOnlyMemory<byte> body, DateTimeOffset now, HistoryOptions options)
    {
        Sequence++;
        LastTouched = now;
        var position = new TopicPosition(Sequence, Epoch);
        if (options.MaxLength > 0)
        {
            if (_count == options.MaxLength)
            {
                _start = (_start + 1) % _ring.Length;
                _count--;
            }
            else if (_count == _ring.Length)
            {
                Grow(Math.Min(options.MaxLength, _ring.Length * 2));
            }
            var index = (_start + _count) % _ring.Length;
            _ring[index] = new HistoryEntry(position, body);
            _times[index] = now;
            _count++;
        }
        TrimByAge(now, options.MaxAge);
        return position;
    }

    public HistoryRead Read(TopicPosition after, int maxCount, DateTimeOffset now, HistoryOptions options)
    {
        TrimByAge(now, options.MaxAge);
        var oldest = _count > 0 ? _ring[_start].Position.Sequence : Sequence + 1;
        var sameEpoch = after.Epoch == Epoch;
        var complete = sameEpoch && after.Sequence <= Sequence && oldest <= after.Sequence + 1;
        var from = sameEpoch ? after.Sequence : 0;
        var entries = new List<HistoryEntry>(Math.Min(maxCount, _count));
        for (var i = 0; i < _count && entries.Count < maxCount; i++)
        {
            var entry = _ring[(_start + i) % _ring.Length];
            if (entry.Position.Sequence > from)
            {
                entries.Add(entry);
            }
        }
        return new HistoryRead(complete, entries, Head);
    }

    public void TrimByAge(DateTimeOffset now, TimeSpan maxAge)
    {
        while (_count > 0 && now - _times[_start] > maxAge)
        {
            _ring[_start] = null!;
            _start = (_start + 1) % _ring.Length;
            _count--;
        }
    }

    private void Grow(int size)
    {
        var ring = new HistoryEntry[size];
        var times = new DateTimeOffset[size];
        for (var i = 0; i < _count; i++)
        {
            ring[i] = _ring[(_start + i) % _ring.Length];
            times[i] = _times[(_start + i) % _ring.Length];
        }
        _ring = ring;
        _times = times;
        _start = 0;
    }
}
