using System.Threading.Channels;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Records the lifecycle signals the host's workers ran (handlers mapped by <see cref="MapLifecycle"/>).</summary>
internal sealed class LifecycleRecorder
{
    private readonly Channel<(string Signal, WindowInfo Window)> _runs = Channel.CreateUnbounded<(string, WindowInfo)>();
    private readonly List<(string Signal, WindowInfo Window)> _seen = [];

    public static void MapLifecycle(ISwitchboardBuilder builder)
    {
        builder.Services.AddSingleton<LifecycleRecorder>();
        builder.MapSignal(LifecycleSignals.WindowConnected, (WindowInfo window, LifecycleRecorder recorder) => recorder.Record(LifecycleSignals.WindowConnected, window));
        builder.MapSignal(LifecycleSignals.WindowDisconnected, (WindowInfo window, LifecycleRecorder recorder) => recorder.Record(LifecycleSignals.WindowDisconnected, window));
    }

    /// <summary>Every run so far, in order.</summary>
    public IReadOnlyList<(string Signal, WindowInfo Window)> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    private void Record(string signal, WindowInfo window)
    {
        lock (_seen)
        {
            _seen.Add((signal, window));
        }
        _runs.Writer.TryWrite((signal, window));
    }

    /// <summary>Waits for the next run of <paramref name="signal"/> for <paramref name="windowKey"/>, skipping other runs.</summary>
    public async Task<WindowInfo> NextAsync(string signal, string windowKey)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Frame);
        try
        {
            while (true)
            {
                var (name, window) = await _runs.Reader.ReadAsync(timeout.Token);
                if (name == signal && window.WindowKey == windowKey)
                {
                    return window;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {signal} for window {windowKey} within {TestTimeouts.Frame}; seen: {string.Join(", ", Seen.Select(s => s.Signal + " " + s.Window.UserId))}.");
        }
    }
}
