using System.Buffers;
using System.Net.WebSockets;
using Switchboard.Internal.Windows;

namespace Switchboard.Internal.Connections;

/// <summary>
/// One window's WebSocket: its identity, its topics, and the only writer of its socket. A frame sent to an idle window is
/// written at once on the sender's thread (no queue, no thread hop: what a targeted send costs); frames sent while a
/// write is in progress wait in a bounded queue and go out together in the next write. A window whose queue is full is
/// too slow and is closed with 4101 (it will reconnect and replay). A close is written after everything queued before it.
/// </summary>
internal sealed partial class WindowConnection : IThreadPoolWorkItem
{
    /// <summary>Frames taken from the queue for one write at most.</summary>
    private const int BatchFrames = 256;

    private readonly WindowWire _wire;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private FrameQueue _queue;
    private bool _writing; // someone owns the writer turn: frames, the close frame, or the socket's own write
    private bool _done; // the close frame was written or the wire broke: nothing more is written
    private Queue<TaskCompletionSource>? _outOfTurn;
    private TaskCompletionSource? _finished;
    private TaskCompletionSource? _idle;
    private int _closeRequested; // RequestClose (WindowConnection.Close.cs) runs once

    public WindowConnection(WebSocket socket, WindowWire wire, WindowInfo window, OwnTopics own, IReadOnlyList<string> topics, int sendQueueCapacity, long lastSeenTimestamp)
    {
        Socket = socket;
        _wire = wire;
        Window = window;
        Own = own;
        _topics = [.. topics];
        LastReceivedTimestamp = lastSeenTimestamp;
        _capacity = sendQueueCapacity;
    }

    public WebSocket Socket { get; }
    public WindowInfo Window { get; }

    /// <summary>The window's built-in topic keys, made once at connect by the registered serializer.</summary>
    public OwnTopics Own { get; }

    /// <summary>Bytes of the frames waiting in the send queue (read for the outbox gauge, not on any send path).</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_gate)
            {
                return _queue.Bytes;
            }
        }
    }

    /// <summary>The close code and reason written once the queue is drained, if any.</summary>
    public (int Code, string Reason)? CloseStatus { get; private set; }

    /// <summary>Timestamp (TimeProvider ticks) of the last frame received, for the heartbeat sweep.</summary>
    public long LastReceivedTimestamp { get; set; }

    /// <summary>Cancelled when the connection must end without waiting for the peer any longer.</summary>
    public CancellationTokenSource Lifetime { get; } = new();

    private CallTokenBucket _calls;

    /// <summary>Refused calls in a row (rate limit); reset by an allowed call.</summary>
    public int RateLimitedInARow => _calls.RefusedInARow;

    /// <summary>Token bucket for browser calls: true when a call may go through now.</summary>
    public bool TryTakeCallPermit(CallRateLimitOptions limit, TimeProvider time) => _calls.TryTake(limit, time);

    // Live frames (byte[]) held while the connection catches up, and work waiting its turn to hold them (HeldWork,
    // WindowConnection.Membership.cs): frames after a work item are held until that work has run.
    private List<object>? _held;
    private readonly Lock _holdGate = new();

    /// <summary>From now on live frames wait (while the connection replays history and says hello).</summary>
    public void HoldLive()
    {
        lock (_holdGate)
        {
            _held = [];
        }
    }

    /// <summary>
    /// Stops holding: <paramref name="compose"/> gets the live frames held meanwhile and returns everything to send
    /// (replayed frames, hello, the held frames still new), queued atomically so no live frame overtakes or is lost.
    /// When work was queued behind the held frames (<see cref="HoldWhile"/>), only the frames before it are released, and
    /// that work starts, still holding the frames that came after it.
    /// </summary>
    public void ReleaseLive(Func<IReadOnlyList<byte[]>, IEnumerable<byte[]>> compose)
    {
        var start = false;
        var overflow = false;
        HeldWork? next = null;
        lock (_holdGate)
        {
            var frames = new List<byte[]>();
            var taken = 0;
            foreach (var item in _held ?? [])
            {
                taken++;
                if (item is HeldWork work)
                {
                    next = work;
                    break;
                }
                frames.Add((byte[])item);
            }
            foreach (var frame in compose(frames))
            {
                if (!Enqueue(frame, ref start, out overflow))
                {
                    break;
                }
            }
            if (next is null)
            {
                _held = null;
            }
            else
            {
                _held!.RemoveRange(0, taken);
            }
        }
        if (overflow)
        {
            Overflow();
        }
        if (start)
        {
            Pump(null);
        }
        if (next is not null)
        {
            Run(next);
        }
    }

    /// <summary>
    /// Sends a whole server frame (see <c>WebSocketFraming</c>); false when the window is closing or too slow. An idle
    /// window is written on the caller's thread, or with <paramref name="fanOut"/> (one message for many windows) on a
    /// thread-pool thread, so a broadcast's windows are written in parallel while the publisher goes on. A frame of one
    /// <paramref name="topic"/> the window left on command is dropped (held frames are filtered when the leave applies).
    /// </summary>
    public bool TrySend(byte[] frame, bool fanOut = false, string? topic = null)
    {
        if (Volatile.Read(ref _held) is not null && TryHold(frame, out var accepted))
        {
            return accepted;
        }
        if (topic is not null && HasLeft(topic))
        {
            return true;
        }
        var full = false;
        lock (_gate)
        {
            if (CloseStatus is not null || _done)
            {
                return false;
            }
            if (!_writing)
            {
                _writing = true;
                if (fanOut)
                {
                    // Queued under the same lock that took the turn, so no later frame can get ahead of it.
                    _queue.Push(frame, _capacity);
                }
            }
            else if (_queue.Count < _capacity)
            {
                _queue.Push(frame, _capacity);
                return true;
            }
            else
            {
                full = true;
            }
        }
        if (full)
        {
            return Overflow();
        }
        if (fanOut)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return true;
        }
        Pump(frame);
        return true;
    }

    void IThreadPoolWorkItem.Execute() => Pump(null);

    /// <summary>Completes when no write is in progress or waiting (tests: a fan-out write runs on the thread pool).</summary>
    internal Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (!_writing)
            {
                return Task.CompletedTask;
            }
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    /// <summary>While live frames are held: holds <paramref name="frame"/> (false when holding has ended meanwhile).</summary>
    private bool TryHold(byte[] frame, out bool accepted)
    {
        lock (_holdGate)
        {
            if (_held is null)
            {
                accepted = false;
                return false;
            }
            _held.Add(frame);
            accepted = _held.Count <= _capacity;
        }
        if (!accepted)
        {
            Overflow();
        }
        return true;
    }

    /// <summary>Queues <paramref name="frame"/> behind any other; sets <paramref name="start"/> when the caller must start the writer.</summary>
    private bool Enqueue(byte[] frame, ref bool start, out bool overflow)
    {
        overflow = false;
        lock (_gate)
        {
            if (CloseStatus is not null || _done)
            {
                return false;
            }
            if (_queue.Count >= _capacity)
            {
                overflow = true;
                return false;
            }
            _queue.Push(frame, _capacity);
            if (!_writing)
            {
                _writing = true;
                start = true;
            }
            return true;
        }
    }

    private bool Overflow()
    {
        RequestClose(Protocol.ProtocolNames.CloseCodes.SlowConsumer, "send queue full");
        return false;
    }

    /// <summary>
    /// A write by the socket itself (a pong): waits for the writer turn so it never lands inside a batch of frames.
    /// </summary>
    public async ValueTask WriteOutOfTurnAsync(Stream stream, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        TaskCompletionSource? turn = null;
        lock (_gate)
        {
            if (_done)
            {
                throw new IOException("The window's connection is closed.");
            }
            if (_writing)
            {
                turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                (_outOfTurn ??= new Queue<TaskCompletionSource>()).Enqueue(turn);
            }
            else
            {
                _writing = true;
            }
        }
        if (turn is not null)
        {
            await turn.Task; // handed the turn by the writer, or failed when the wire closed
        }
        try
        {
            await stream.WriteAsync(bytes, cancellationToken);
        }
        catch (Exception e)
        {
            Broken();
            throw new IOException("Writing to the window failed.", e);
        }
        Pump(null);
    }

    /// <summary>Writes until the queue is empty, on the calling thread while writes complete at once; the caller owns the turn.</summary>
    private void Pump(byte[]? first)
    {
        var single = first;
        while (true)
        {
            byte[][]? batch = null;
            var n = 0;
            if (single is null)
            {
                lock (_gate)
                {
                    // A waiting socket write (a pong) goes between two batches, never behind an endless stream of them.
                    if (_queue.Count == 0 || _outOfTurn is { Count: > 0 })
                    {
                        EndTurn();
                        return;
                    }
                    n = Math.Min(_queue.Count, BatchFrames);
                    batch = ArrayPool<byte[]>.Shared.Rent(n);
                    for (var i = 0; i < n; i++)
                    {
                        batch[i] = _queue.Pop();
                    }
                }
            }
            ValueTask write;
            try
            {
                write = single is not null
                    ? _wire.WriteAsync(single, CancellationToken.None)
                    : _wire.WriteAsync(batch.AsMemory(0, n), CancellationToken.None);
            }
            catch (Exception)
            {
                Return(batch, n);
                Broken();
                return;
            }
            if (!write.IsCompletedSuccessfully)
            {
                _ = PumpWhenWrittenAsync(write, batch, n);
                return;
            }
            Return(batch, n);
            single = null;
        }
    }

    private async Task PumpWhenWrittenAsync(ValueTask write, byte[][]? batch, int n)
    {
        try
        {
            await write;
        }
        catch (Exception)
        {
            Broken();
            return;
        }
        finally
        {
            Return(batch, n);
        }
        Pump(null);
    }

    /// <summary>Under the gate: hands the turn to a waiting socket write, or (queue empty) writes the close or releases the turn.</summary>
    private void EndTurn()
    {
        if (_outOfTurn is { Count: > 0 } waiting)
        {
            waiting.Dequeue().TrySetResult();
            return;
        }
        if (CloseStatus is { } close && !_done)
        {
            _done = true;
            _ = WriteCloseAsync(close.Code, close.Reason);
            return;
        }
        Release();
        if (_done)
        {
            _finished?.TrySetResult();
        }
    }

    /// <summary>Under the gate: nobody writes any more.</summary>
    private void Release()
    {
        _writing = false;
        if (_idle is { } idle)
        {
            _idle = null;
            idle.TrySetResult();
        }
    }

    private static void Return(byte[][]? batch, int n)
    {
        if (batch is not null)
        {
            Array.Clear(batch, 0, n);
            ArrayPool<byte[]>.Shared.Return(batch);
        }
    }
}
