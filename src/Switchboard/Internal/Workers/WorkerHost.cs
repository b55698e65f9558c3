using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Registry;

namespace Switchboard.Internal.Workers;

/// <summary>
/// Runs worker loops: for each served queue, <see cref="WorkerOptions.Count"/> loops take jobs and execute them.
/// Never inside the WebSocket receive loop. A failing job never stops a loop.
/// </summary>
internal sealed partial class WorkerHost(
    IJobQueue jobs,
    JobExecutor executor,
    QueueDirectory directory,
    SignalRegistry registry,
    IOptions<SwitchboardOptions> options,
    ILogger<WorkerHost> logger) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Task[]> _loops = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var workers = options.Value.Workers;
        if (!workers.Enabled)
        {
            return Task.CompletedTask;
        }
        if (workers.Queues.Count > 0 || !workers.ServeAllQueuesWhenNoneListed)
        {
            foreach (var queue in workers.Queues)
            {
                Serve(queue);
            }
            // Whoever works on queues also delivers delayed browser messages.
            if (workers.Queues.Count > 0)
            {
                Serve(SignalDispatcher.DeliveryQueue);
            }
            return Task.CompletedTask;
        }
        // One-process mode: every queue we know of now, and any queue that appears later.
        directory.QueueAdded += Serve;
        Serve(options.Value.DefaultQueue);
        Serve(SignalDispatcher.DeliveryQueue);
        foreach (var queue in registry.KnownQueues.Concat(directory.Queues))
        {
            Serve(queue);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        directory.QueueAdded -= Serve;
        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // Disposed first (WebApplicationFactory with Kestrel disposes the services before it stops the host): the
            // loops were told to stop then.
        }
        var all = _loops.Values.SelectMany(t => t).ToArray();
        await Task.WhenAll(all).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as an IHostedService, so the container disposes this instance twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    private void Serve(string queue)
    {
        if (_stopping.IsCancellationRequested || _loops.ContainsKey(queue))
        {
            return;
        }
        var w = options.Value.Workers;
        var count = w.PerQueue.TryGetValue(queue, out var n) ? n : w.Count;
        if (!_loops.TryAdd(queue, new Task[count]))
        {
            return;
        }
        var loops = _loops[queue];
        for (var i = 0; i < count; i++)
        {
            loops[i] = Task.Run(() => RunLoopAsync(queue, _stopping.Token));
        }
        LogServing(logger, queue, count);
    }

    private async Task RunLoopAsync(string queue, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            JobLease lease;
            try
            {
                lease = await jobs.DequeueAsync(queue, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogDequeueFailed(logger, queue, e);
                continue;
            }
            try
            {
                if (await executor.ExecuteAsync(lease.Job, stopping) is { } retry)
                {
                    // A job with an ordering key keeps its place in line: only its handlers to retry go back, first.
                    var again = lease.Job.WithAttempt(lease.Job.Attempt, lease.Job.NotBefore, retry.Handlers);
                    await jobs.AbandonAsync(new JobLease(again, lease.State), retry.Delay, CancellationToken.None);
                    continue;
                }
                // The handlers ran: the ack may be batched with others (Redis); the loop takes the next job meanwhile.
                var completing = jobs.CompleteAsync(lease, CancellationToken.None);
                if (!completing.IsCompletedSuccessfully)
                {
                    _ = ObserveCompleteAsync(completing, lease, queue);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Shutting down mid-job: give it back so a durable queue can hand it to another worker.
                await jobs.AbandonAsync(lease, TimeSpan.Zero, CancellationToken.None);
                return;
            }
            catch (Exception e)
            {
                LogJobFailed(logger, lease.Job.Signal, queue, e);
                try
                {
                    await jobs.CompleteAsync(lease, CancellationToken.None);
                }
                catch (Exception again)
                {
                    // The queue itself is failing (e.g. Redis down or restarted): a durable queue hands the job out
                    // again later; this loop must live on to take the next one.
                    LogCompleteFailed(logger, lease.Job.Signal, queue, again);
                }
            }
        }
    }

    private async Task ObserveCompleteAsync(ValueTask completing, JobLease lease, string queue)
    {
        try
        {
            await completing;
        }
        catch (Exception e)
        {
            // Not acknowledged: a durable queue hands the job out again after its lease (it ran; it may run twice).
            LogCompleteFailed(logger, lease.Job.Signal, queue, e);
        }
    }

    [LoggerMessage(EventId = 2001, EventName = "ServingQueue", Level = LogLevel.Information,
        Message = "Serving queue {Queue} with {Count} workers.")]
    private static partial void LogServing(ILogger logger, string queue, int count);

    [LoggerMessage(EventId = 2002, EventName = "DequeueFailed", Level = LogLevel.Error,
        Message = "Taking a job from queue {Queue} failed; retrying.")]
    private static partial void LogDequeueFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(EventId = 2003, EventName = "JobFailed", Level = LogLevel.Error,
        Message = "Job of signal {Signal} on queue {Queue} failed outside its handlers.")]
    private static partial void LogJobFailed(ILogger logger, string signal, string queue, Exception exception);

    [LoggerMessage(EventId = 2004, EventName = "JobCompleteFailed", Level = LogLevel.Error,
        Message = "Job of signal {Signal} on queue {Queue} could not be marked done; the queue may deliver it again.")]
    private static partial void LogCompleteFailed(ILogger logger, string signal, string queue, Exception exception);
}
