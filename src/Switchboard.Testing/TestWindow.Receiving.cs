using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>The receive loop: one task per window reads every message into a pooled buffer.</summary>
public sealed partial class TestWindow
{
    private readonly Lock _gate = new();
    private readonly List<JsonElement> _pending = [];
    private readonly List<JsonElement> _received = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _paused;
    private Timer? _heartbeat;
    private long _taken;

    /// <summary>Frames received and not yet taken by a wait (<see cref="NextFrameAsync"/> and the waits built on it).</summary>
    public IReadOnlyList<JsonElement> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending];
            }
        }
    }

    /// <summary>Every frame received so far, in arrival order (frames an <see cref="TestWindowOptions.OnFrame"/> handler consumed aside).</summary>
    public IReadOnlyList<JsonElement> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Stops reading after the message being read: the server's sends pile up in TCP buffers (a slow reader).</summary>
    public void PauseReading()
    {
        lock (_gate)
        {
            _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Reads again after <see cref="PauseReading"/>.</summary>
    public void ResumeReading()
    {
        TaskCompletionSource? paused;
        lock (_gate)
        {
            paused = _paused;
            _paused = null;
        }
        paused?.TrySetResult();
    }

    private async Task ReadLoopAsync()
    {
        // Pooled and grown on demand, as the load generator's windows read many small frames: a message costs no
        // allocation here when an OnFrame handler consumes it.
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var count = 0;
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _paused) is { } paused)
                {
                    await paused.Task.ConfigureAwait(false);
                }
                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = (int?)_socket.CloseStatus;
                    CloseDescription = _socket.CloseStatusDescription;
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        // Answer the close handshake, as a browser does.
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                    }
                    return;
                }
                count += result.Count;
                if (!result.EndOfMessage)
                {
                    if (count == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    continue;
                }
                var message = buffer.AsSpan(0, count);
                count = 0;
                if (_onFrame is null || !_onFrame(message))
                {
                    Keep(Parse(message));
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            CloseDescription ??= "connection lost: " + e.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            StopHeartbeat();
            _closed.TrySetResult();
            Notify();
        }
    }

    private static JsonElement Parse(ReadOnlySpan<byte> message)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(message);
        }
        catch (JsonException)
        {
            // Kept rather than dropped: a test of bad server output wants to see it.
            return JsonSerializer.SerializeToElement(new Dictionary<string, string>
            {
                ["type"] = "<not json>",
                ["text"] = Encoding.UTF8.GetString(message),
            });
        }
    }

    private void Keep(JsonElement frame)
    {
        var hello = frame.Type() == "hello";
        lock (_gate)
        {
            _pending.Add(frame);
            _received.Add(frame);
            if (hello)
            {
                Hello = frame;
            }
        }
        if (hello)
        {
            StartHeartbeat(frame);
        }
        Notify();
    }

    private void Notify()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private void StartHeartbeat(JsonElement hello)
    {
        if (!_options.SendHeartbeats || !hello.TryGetProperty("heartbeat", out var ms) || !ms.TryGetInt32(out var heartbeat) || heartbeat <= 0)
        {
            return;
        }
        // Checked twice per interval, so a ping goes out at most one interval after the last frame sent.
        var half = TimeSpan.FromMilliseconds(Math.Max(1, heartbeat / 2));
        var timer = new Timer(state =>
        {
            if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastSent)) >= half && IsOpen)
            {
                _ = SendPingAsync().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        });
        if (Interlocked.CompareExchange(ref _heartbeat, timer, null) is null)
        {
            timer.Change(half, half);
        }
        else
        {
            timer.Dispose();
        }
    }

    private void StopHeartbeat() => Interlocked.Exchange(ref _heartbeat, null)?.Dispose();
}
