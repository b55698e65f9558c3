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
    private int _closeRequested;

    public WindowConnection(WebSocket socket, WindowInfo window, IReadOnlyList<string> topics, int sendQueueCapacity, long lastSeenTimestamp)
    {
        Socket = socket;
        Window = window;
        Topics = topics;
        LastReceivedTimestamp = lastSeenTimestamp;
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

    /// <summary>Queues a frame; when the queue is full the window is closed as too slow and false is returned.</summary>
    public bool TrySend(byte[] frame)
    {
        if (_outbox.Writer.TryWrite(frame))
        {
            return true;
        }
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
