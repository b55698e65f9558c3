namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>Waits for a condition on Redis state, which has no change notification to await: polls every 20 ms, with a limit.</summary>
internal static class RedisPolling
{
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var timeout = limit ?? TimeSpan.FromSeconds(10);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Still waiting for {what} after {timeout.TotalSeconds:0} s.");
            }
            await Task.Delay(20);
        }
    }
}
