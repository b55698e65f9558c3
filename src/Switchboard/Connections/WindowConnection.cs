using System.Net.WebSockets;
using System.Threading.Channels;

namespace Switchboard.Connections;

/// <summary>
/// One window's WebSocket: its identity, its topics and its bounded send queue. Frames are queued without
/// blocking the publisher; a window whose queue is full is too slow and is closed (it will reconnect).
/// Closing goes through the send loop, the only writer of the socket.
/// </summary>
internal sealed class WindowConnection
{
    /// <summary>How long the peer has to answer our close frame before the socket is aborted.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly Channel<byte[]> _outbox;
    private readonly int _capacity;
    private int _closeRequested;

    public WindowConnection(WebSocket socket, WindowInfo window, IReadOnlyList<string> topics, int sendQueueCapacity, long lastSeenTimestamp)
    {
        Socket = socket;
        Window = window;
        Topics = topics;
        LastReceivedTimestamp = lastSeenTimestamp;
        _capacity = sendQueueCapacity;
        _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(sendQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public WebSocket Socket { get; }
    public WindowInfo Window { get; }
    public IReadOnlyList<string> Topics { get; }
    public ChannelReader<byte[]> Outbox => _outbox.Reader;

    /// <summary>The close code and reason the send loop sends once the queue is drained, if any.</summary>
    public (int Code, string Reason)? CloseStatus { get; private set; }

    /// <summary>Timestamp (TimeProvider ticks) of the last frame received, for the heartbeat sweep.</summary>
    public long LastReceivedTimestamp { get; set; }

    /// <summary>Cancelled when the connection must end without waiting for the peer any longer.</summary>
    public CancellationTokenSource Lifetime { get; } = new();

    private double _callTokens = -1;
    private long _callTokensAt;

    /// <summary>Refused calls in a row (rate limit); reset by an allowed call.</summary>
    public int RateLimitedInARow { get; private set; }

    /// <summary>Token bucket for browser calls: true when a call may go through now.</summary>
    public bool TryTakeCallPermit(CallRateLimitOptions limit, TimeProvider time)
    {
        var now = time.GetTimestamp();
        if (_callTokens < 0)
        {
            _callTokens = limit.Burst;
        }
        else
        {
            var refill = time.GetElapsedTime(_callTokensAt, now).TotalSeconds * limit.PermitsPerSecond;
            _callTokens = Math.Min(limit.Burst, _callTokens + refill);
        }
        _callTokensAt = now;
        if (_callTokens >= 1)
        {
            _callTokens -= 1;
            RateLimitedInARow = 0;
            return true;
        }
        RateLimitedInARow++;
        return false;
    }

    private List<byte[]>? _held;
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
    /// </summary>
    public void ReleaseLive(Func<IReadOnlyList<byte[]>, IEnumerable<byte[]>> compose)
    {
        lock (_holdGate)
        {
            foreach (var frame in compose(_held ?? []))
            {
                Enqueue(frame);
            }
            _held = null;
        }
    }

    /// <summary>Queues a frame; when the queue is full the window is closed as too slow and false is returned.</summary>
    public bool TrySend(byte[] frame)
    {
        if (Volatile.Read(ref _held) is not null)
        {
            lock (_holdGate)
            {
                if (_held is not null)
                {
                    _held.Add(frame);
                    return _held.Count <= _capacity || Overflow();
                }
            }
        }
        return Enqueue(frame);
    }

    private bool Enqueue(byte[] frame)
    {
        if (_outbox.Writer.TryWrite(frame))
        {
            return true;
        }
        return Overflow();
    }

    private bool Overflow()
    {
        RequestClose(Protocol.ProtocolNames.CloseCodes.SlowConsumer, "send queue full");
        return false;
    }

    /// <summary>Asks the send loop to finish what is queued, then send a close frame. Only the first request counts.</summary>
    public void RequestClose(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
        {
            return;
        }
        CloseStatus = (code, reason);
        _outbox.Writer.TryComplete();
        try
        {
            Lifetime.CancelAfter(CloseGrace);
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }
}
