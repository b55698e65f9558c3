using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>Waits: each bounded by a timeout (the window's <see cref="TestWindowOptions.Timeout"/> unless given), none polls.</summary>
public sealed partial class TestWindow
{
    /// <summary>
    /// Takes the first frame of <see cref="Pending"/> matching <paramref name="match"/>, waiting for it up to the timeout.
    /// </summary>
    /// <param name="match">Which frame.</param>
    /// <param name="description">What is awaited, for the failure message (e.g. <c>"signal chat.message"</c>).</param>
    /// <param name="timeout">The bound of the wait; default: the window's <see cref="TestWindowOptions.Timeout"/>.</param>
    /// <exception cref="TimeoutException">No such frame within the timeout; the message names <paramref name="description"/>.</exception>
    /// <exception cref="InvalidOperationException">The socket closed before such a frame came.</exception>
    public async Task<JsonElement> NextFrameAsync(Func<JsonElement, bool> match, string description, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var limit = timeout ?? _options.Timeout;
        using var cts = new CancellationTokenSource(limit);
        // Frames already looked at are not looked at again (thousands may be pending), unless another wait took a frame
        // meanwhile and so moved the others.
        var scanned = 0;
        var takenBefore = -1L;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (takenBefore != _taken)
                {
                    (scanned, takenBefore) = (0, _taken);
                }
                var index = _pending.FindIndex(scanned, f => match(f));
                scanned = _pending.Count;
                if (index >= 0)
                {
                    var frame = _pending[index];
                    _pending.RemoveAt(index);
                    _taken++;
                    return frame;
                }
                if (_closed.Task.IsCompleted)
                {
                    throw new InvalidOperationException($"{Prefix}The socket closed ({CloseStatus} {CloseDescription}) while waiting for {description}. {Describe()}");
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Prefix}No {description} within {limit}. {Describe()}");
            }
        }
    }

    /// <summary>
    /// Takes the next <c>signal</c> frame of <paramref name="signal"/> (whose <c>opts</c> match <paramref name="opts"/>,
    /// when given) from <see cref="Pending"/>, waiting for it up to the timeout.
    /// </summary>
    /// <exception cref="TimeoutException">No such signal within the timeout; the message names the signal.</exception>
    /// <exception cref="InvalidOperationException">The socket closed before it came.</exception>
    public Task<JsonElement> NextSignalAsync(string signal, Func<JsonElement, bool>? opts = null, TimeSpan? timeout = null) =>
        NextFrameAsync(f => f.IsSignal(signal) && (opts is null || opts(f.Opts())), "signal " + signal, timeout);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the frames received so far (evaluated at once, then on every new
    /// frame, under the window's lock: it must be quick and must not keep the list).
    /// </summary>
    /// <exception cref="TimeoutException">Still false after the timeout; the message names <paramref name="description"/>.</exception>
    /// <exception cref="InvalidOperationException">The socket closed while it was false.</exception>
    public async Task WaitUntilAsync(Func<IReadOnlyList<JsonElement>, bool> condition, string description, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? _options.Timeout;
        using var cts = new CancellationTokenSource(limit);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_received))
                {
                    return;
                }
                if (_closed.Task.IsCompleted)
                {
                    throw new InvalidOperationException($"{Prefix}The socket closed ({CloseStatus} {CloseDescription}) while waiting for {description}. {Describe()}");
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Prefix}Not {description} within {limit}. {Describe()}");
            }
        }
    }

    /// <summary>
    /// Every frame received from index <paramref name="from"/> of <see cref="Received"/> on, in arrival order, as they
    /// arrive; ends when the socket is closed and every frame was given. It does not take frames from <see cref="Pending"/>.
    /// </summary>
    public async IAsyncEnumerable<JsonElement> ReadAllAsync(int from = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var index = from;
        while (true)
        {
            JsonElement? next = null;
            var done = false;
            Task changed;
            lock (_gate)
            {
                if (index < _received.Count)
                {
                    next = _received[index++];
                }
                else
                {
                    done = _closed.Task.IsCompleted;
                }
                changed = _changed.Task;
            }
            if (done)
            {
                yield break;
            }
            if (next is { } frame)
            {
                yield return frame;
                continue;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the server closed the socket (or the connection was lost) and returns the close code.</summary>
    /// <exception cref="TimeoutException">The socket is still open after the timeout.</exception>
    public async Task<int?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? _options.Timeout;
        try
        {
            await _closed.Task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Prefix}The socket is still open after {limit}. {Describe()}");
        }
        return CloseStatus;
    }

    /// <summary>The socket's state and the frames still pending, for failure messages.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            var pending = string.Join(", ", _pending.Take(20).Select(f => Shorten(f.GetRawText())));
            var more = _pending.Count > 20 ? $" and {_pending.Count - 20} more" : "";
            return $"State {_socket.State}; {_received.Count} frames received; pending: [{pending}]{more}";
        }
    }

    private string Prefix => _options.Name is { } name ? name + ": " : "";

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
