namespace Switchboard.Internal.Connections;

/// <summary>
/// The frames waiting behind a window's write, in order: a ring allocated when the window first has to queue and grown
/// up to its capacity. A mutable struct in the connection's field, guarded by the connection's gate.
/// </summary>
internal struct FrameQueue
{
    private byte[][]? _ring;
    private int _head;

    public int Count { get; private set; }

    /// <summary>Bytes of the frames waiting (the node's outbox gauge).</summary>
    public long Bytes { get; private set; }

    public void Push(byte[] frame, int capacity)
    {
        if (_ring is null || Count == _ring.Length)
        {
            Grow(capacity);
        }
        _ring![(_head + Count) % _ring.Length] = frame;
        Count++;
        Bytes += frame.Length;
    }

    public byte[] Pop()
    {
        var frame = _ring![_head];
        _ring[_head] = null!;
        _head = (_head + 1) % _ring.Length;
        Count--;
        Bytes -= frame.Length;
        return frame;
    }

    public void Clear()
    {
        if (_ring is not null)
        {
            Array.Clear(_ring);
        }
        _head = 0;
        Count = 0;
        Bytes = 0;
    }

    private void Grow(int capacity)
    {
        var size = _ring is null ? Math.Min(8, capacity) : Math.Min(capacity, _ring.Length * 2);
        var ring = new byte[size][];
        for (var i = 0; i < Count; i++)
        {
            ring[i] = _ring![(_head + i) % _ring.Length];
        }
        _ring = ring;
        _head = 0;
    }
}
