namespace Switchboard.ChaosTests;

/// <summary>The page's connection loop: reconnects with backoff, to the same or the other node, and reloads when told to.</summary>
internal sealed partial class ChaosPage
{
    private async Task RunAsync()
    {
        try
        {
            await ConnectLoopAsync();
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            // A bug of this client (or a page without its init element on reload): make the test say so.
            Fatal = "the page's loop failed: " + e;
            Notify();
        }
    }

    private async Task ConnectLoopAsync()
    {
        var attempt = 0;
        while (!_stop.IsCancellationRequested && Fatal is null)
        {
            var node = PickNode();
            if (node is null)
            {
                await DelayAsync(TimeSpan.FromMilliseconds(100));
                continue;
            }
            if (_reloadRequested && !await ReloadAsync(node))
            {
                await BackoffAsync(attempt++);
                continue;
            }
            TestWindow window;
            try
            {
                window = await TestWindow.OpenSocketAsync(_page.SocketUriFor(node), _socketOptions, _stop.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
                ConnectFailures++;
                if (Policy == ReconnectPolicy.SwitchWhenDown)
                {
                    lock (_gate)
                    {
                        _slot = 1 - _slot;
                    }
                }
                await BackoffAsync(attempt++);
                continue;
            }
            int connection;
            lock (_gate)
            {
                connection = ++_connection;
                _window = window;
            }
            try
            {
                if (await SessionAsync(window, connection, node))
                {
                    attempt = 0;
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // The socket broke while sending, or the test is over: reconnect or stop.
            }
            finally
            {
                window.Abort();
                await window.DisposeAsync();
                lock (_gate)
                {
                    _window = null;
                    _live = false;
                    if (window.CloseStatus is { } code)
                    {
                        _closes.Add($"{code} {window.CloseDescription}");
                    }
                }
                if (TestWindow.IsTerminalClose(window.CloseStatus))
                {
                    Fatal = $"terminal close {window.CloseStatus} ({window.CloseDescription})";
                }
                Notify();
            }
            if (!_stop.IsCancellationRequested && !_reloadRequested)
            {
                await BackoffAsync(attempt++);
            }
        }
    }

    /// <summary>
    /// What a page does when <c>df.resync</c> tells it that it lost messages it cannot get back and its room topic is
    /// gone (<c>df.connect('df.resync', () => location.reload())</c>, docs/delivery.md): load the page again — a new
    /// window, with a new token and the page's topics — and start over from the new hello's positions.
    /// </summary>
    private async Task<bool> ReloadAsync(Uri node)
    {
        try
        {
            _page = await PageInit.LoadAsync(new Uri(node, _path), _pageOptions, _stop.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
        _reloadRequested = false;
        _cursors = new Dictionary<string, TopicCursor>(StringComparer.Ordinal);
        Reloads++;
        return true;
    }

    private Uri? PickNode()
    {
        lock (_gate)
        {
            if (Stopwatch.GetTimestamp() < _offlineUntil)
            {
                return null;
            }
            var node = _nodes[_slot];
            if (node is null && Policy == ReconnectPolicy.SwitchWhenDown)
            {
                _slot = 1 - _slot;
                node = _nodes[_slot];
            }
            return node;
        }
    }

    /// <summary>Full-jitter exponential backoff (§6), scaled down for a test: base 100 ms, max 1 s.</summary>
    private Task BackoffAsync(int attempt) =>
        DelayAsync(TimeSpan.FromMilliseconds(_random.Next(20, (int)Math.Min(1000, 100 * Math.Pow(2, Math.Min(attempt, 10))))));

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
