using System.Runtime.CompilerServices;
using System.Text;
using Switchboard.Internal.Connections;
using Switchboard.Internal.Protocol;
using Switchboard.Internal.Windows;

namespace Switchboard.Tests.TestSupport;

/// <summary>
/// A window's wire for unit tests: records every frame written, in order; while <see cref="Paused"/>, writes stay pending
/// (a peer that does not read), so frames queue behind them.
/// </summary>
internal sealed class RecordingWire : WindowWire
{
    private static readonly ConditionalWeakTable<WindowConnection, RecordingWire> Wires = [];
    private readonly Lock _gate = new();
    private readonly List<byte[]> _written = [];
    private TaskCompletionSource? _paused;

    public (int Code, string Reason)? Closed { get; private set; }

    public int Writes { get; private set; }

    /// <summary>A window on a recording wire (no socket behind it).</summary>
    public static WindowConnection Window(string key, IReadOnlyList<string> topics, int capacity = 16, bool paused = false, OwnTopics? own = null)
    {
        var wire = new RecordingWire { Paused = paused };
        var window = new WindowConnection(
            System.Net.WebSockets.WebSocket.CreateFromStream(new MemoryStream(), new System.Net.WebSockets.WebSocketCreationOptions { IsServer = true }),
            wire, new WindowInfo { WindowKey = key }, own ?? new(DefaultTopicSerializer.BroadcastTopic, DefaultTopicSerializer.WindowTopic(key), null), topics, capacity, 0);
        Wires.Add(window, wire);
        return window;
    }

    public static RecordingWire Of(WindowConnection window) => Wires.TryGetValue(window, out var wire) ? wire : throw new InvalidOperationException("not a recording window");

    /// <summary>The payloads written since the last call, as text.</summary>
    public static List<string> Drain(WindowConnection window) => Of(window).Take();

    /// <summary>The payloads written once the window's writer is idle (fan-out writes run on the thread pool).</summary>
    public static async Task<List<string>> DrainAsync(WindowConnection window)
    {
        await window.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return Of(window).Take();
    }

    public bool Paused
    {
        set
        {
            TaskCompletionSource? resume = null;
            lock (_gate)
            {
                if (value)
                {
                    _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                else
                {
                    resume = _paused;
                    _paused = null;
                }
            }
            resume?.TrySetResult();
        }
    }

    public List<string> Take()
    {
        lock (_gate)
        {
            var frames = _written.Select(f => Encoding.UTF8.GetString(WebSocketFraming.Payload(f))).ToList();
            _written.Clear();
            return frames;
        }
    }

    public override ValueTask WriteAsync(byte[] frame, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _written.Add(frame);
            Writes++;
            return _paused is { } p ? new ValueTask(p.Task) : default;
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte[]> frames, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _written.AddRange(frames.Span);
            Writes++;
            return _paused is { } p ? new ValueTask(p.Task) : default;
        }
    }

    public override ValueTask CloseAsync(int code, string reason, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Closed = (code, reason);
            return _paused is { } p ? new ValueTask(p.Task) : default;
        }
    }
}
