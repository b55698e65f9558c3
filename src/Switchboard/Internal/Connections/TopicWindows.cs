using System.Collections;

namespace Switchboard.Internal.Connections;

/// <summary>
/// An immutable snapshot of the local windows of one topic, as <see cref="LocalTopicRegistry.Get"/> returns it:
/// enumerate it with <c>foreach</c> (no allocation). Large topics are kept in chunks of at most
/// <see cref="ChunkLength"/> references, so a snapshot never lands on the large-object heap (85,000 bytes), however
/// many windows the topic has; a topic with one window (every WINDOW topic) needs no array at all.
/// </summary>
internal readonly struct TopicWindows : IEnumerable<WindowConnection>
{
    /// <summary>References per chunk: 8,192 × 8 bytes + the array header stays under the 85,000-byte LOH threshold.</summary>
    public const int ChunkLength = 8192;

    // A WindowConnection (one window), a WindowConnection[] (up to ChunkLength) or a WindowConnection[][] (chunks, all
    // full but the last); null when empty.
    private readonly object? _items;

    internal TopicWindows(object? items)
    {
        _items = items;
        Length = items switch
        {
            null => 0,
            WindowConnection[] flat => flat.Length,
            WindowConnection[][] chunks => ((chunks.Length - 1) * ChunkLength) + chunks[^1].Length,
            _ => 1,
        };
    }

    /// <summary>The number of windows.</summary>
    public int Length { get; }

    /// <summary>The length of the largest array the snapshot holds (0 when it holds none): kept under <see cref="ChunkLength"/>.</summary>
    internal int LargestArrayLength => _items switch
    {
        WindowConnection[] flat => flat.Length,
        WindowConnection[][] chunks => Math.Max(chunks.Length, chunks.Max(c => c.Length)),
        _ => 0,
    };

    /// <summary>Builds a snapshot of <paramref name="windows"/> (exactly <paramref name="count"/> of them).</summary>
    internal static object? Build(IEnumerable<WindowConnection> windows, int count)
    {
        if (count == 0)
        {
            return null;
        }
        if (count <= ChunkLength)
        {
            var flat = new WindowConnection[count];
            var i = 0;
            foreach (var window in windows)
            {
                flat[i++] = window;
            }
            return flat;
        }
        var chunks = new WindowConnection[(count + ChunkLength - 1) / ChunkLength][];
        for (var c = 0; c < chunks.Length; c++)
        {
            chunks[c] = new WindowConnection[Math.Min(ChunkLength, count - (c * ChunkLength))];
        }
        var n = 0;
        foreach (var window in windows)
        {
            chunks[n / ChunkLength][n % ChunkLength] = window;
            n++;
        }
        return chunks;
    }

    public Enumerator GetEnumerator() => new(_items);

    IEnumerator<WindowConnection> IEnumerable<WindowConnection>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks the chunks without allocating.</summary>
    public struct Enumerator : IEnumerator<WindowConnection>
    {
        private readonly object? _items;
        private WindowConnection[]? _chunk;
        private int _index;
        private int _nextChunk;

        internal Enumerator(object? items)
        {
            _items = items;
            Current = null!;
        }

        public WindowConnection Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            while (true)
            {
                if (_chunk is not null)
                {
                    if (++_index < _chunk.Length)
                    {
                        Current = _chunk[_index];
                        return true;
                    }
                    _chunk = null;
                }
                switch (_items)
                {
                    case WindowConnection single when _nextChunk == 0:
                        _nextChunk = 1;
                        Current = single;
                        return true;
                    case WindowConnection[] flat when _nextChunk == 0:
                        _nextChunk = 1;
                        _chunk = flat;
                        _index = -1;
                        continue;
                    case WindowConnection[][] chunks when _nextChunk < chunks.Length:
                        _chunk = chunks[_nextChunk++];
                        _index = -1;
                        continue;
                    default:
                        return false;
                }
            }
        }

        public void Reset()
        {
            _chunk = null;
            _nextChunk = 0;
            Current = null!;
        }

        public readonly void Dispose()
        {
        }
    }
}
