namespace Switchboard.Internal.Connections;

// The window's close, in a file of its own by concern only: a partial of the same class (no extra type, call or field
// on the send path); the writer turn and the state under _gate stay in WindowConnection.cs.
internal sealed partial class WindowConnection
{
    /// <summary>How long the peer has to answer our close frame before the socket is aborted.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    /// <summary>Asks the writer to finish what is queued, then send a close frame. Only the first request counts.</summary>
    public void RequestClose(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
        {
            return;
        }
        var start = false;
        lock (_gate)
        {
            CloseStatus = (code, reason);
            _finished ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_writing)
            {
                _writing = true;
                start = true;
            }
        }
        try
        {
            Lifetime.CancelAfter(CloseGrace);
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
        if (start)
        {
            Pump(null);
        }
    }

    /// <summary>Completes once the close frame was written after everything queued before it, or the wire broke.</summary>
    public Task WhenClosedAsync()
    {
        lock (_gate)
        {
            _finished ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_done && !_writing)
            {
                _finished.TrySetResult();
            }
            return _finished.Task;
        }
    }

    private async Task WriteCloseAsync(int code, string reason)
    {
        try
        {
            await _wire.CloseAsync(code, reason, CancellationToken.None);
        }
        catch (Exception)
        {
            // The peer is gone already; nothing more to tell it.
            CancelLifetime();
        }
        lock (_gate)
        {
            Release();
            FailWaiting();
            _finished?.TrySetResult();
        }
    }

    /// <summary>The wire failed: nothing more is written, the receive side stops waiting for the peer.</summary>
    private void Broken()
    {
        lock (_gate)
        {
            _done = true;
            Release();
            _queue.Clear();
            FailWaiting();
            _finished?.TrySetResult();
        }
        CancelLifetime();
    }

    private void FailWaiting()
    {
        while (_outOfTurn is { Count: > 0 } waiting)
        {
            waiting.Dequeue().TrySetException(new IOException("The window's connection is closed."));
        }
    }

    /// <summary>Stops waiting for the peer: the receive loop ends.</summary>
    public void CancelLifetime()
    {
        try
        {
            Lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }
}
