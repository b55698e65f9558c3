namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// Publishers sending numbered messages (n = 1, 2, 3, … over all of them) as fast as they can while they have credit.
/// The test hands out credit (e.g. just before each reconnect), so publishing overlaps the reconnects but never runs
/// more than the credit ahead of the windows, however slow or loaded the machine (no sleeps, no unbounded queues).
/// </summary>
internal sealed class PacedPublishers : IAsyncDisposable
{
    private readonly SemaphoreSlim _credit = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private int _published;

    /// <summary>Starts one loop per delegate; each publishes the message number it is given.</summary>
    public PacedPublishers(params Func<int, Task>[] publishers)
    {
        _loops = [.. publishers.Select(publish => Task.Run(() => LoopAsync(publish)))];
    }

    /// <summary>Messages numbered so far (each is published, or being published).</summary>
    public int Published => Volatile.Read(ref _published);

    /// <summary>Lets the publishers send <paramref name="messages"/> more messages.</summary>
    public void Allow(int messages) => _credit.Release(messages);

    /// <summary>Stops the loops once their current message is published; returns how many were published.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(TestTimeouts.Frame);
        return Published;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _stop.Dispose();
        _credit.Dispose();
    }

    private async Task LoopAsync(Func<int, Task> publish)
    {
        while (true)
        {
            try
            {
                await _credit.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await publish(Interlocked.Increment(ref _published));
        }
    }
}
