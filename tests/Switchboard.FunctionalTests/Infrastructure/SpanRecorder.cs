using System.Collections.Concurrent;
using System.Diagnostics;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// Records every finished span of the <c>Switchboard</c> activity source (all data, all sampled) while it lives. The
/// source is static, so tests running in parallel record each other's spans too: tests pick theirs by trace id.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Switchboard",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                _spans.Enqueue(activity);
                TaskCompletionSource changed;
                lock (_gate)
                {
                    (changed, _changed) = (_changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }
                changed.TrySetResult();
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Spans => [.. _spans];

    /// <summary>The finished spans of <paramref name="traceId"/>.</summary>
    public IReadOnlyList<Activity> Trace(ActivityTraceId traceId) => [.. _spans.Where(s => s.TraceId == traceId)];

    /// <summary>Waits (bounded) for a finished span matching <paramref name="match"/>.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, string description)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Frame);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }
            if (_spans.FirstOrDefault(match) is { } span)
            {
                return span;
            }
            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No span {description} within {TestTimeouts.Frame}; recorded: "
                    + string.Join(", ", _spans.Select(s => s.DisplayName).Distinct()));
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
