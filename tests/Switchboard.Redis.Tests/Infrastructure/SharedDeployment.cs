namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>
/// A Redis deployment every test class of a run shares: the one named by an environment variable, else one private
/// deployment started on first use, stopped at the end of the run by <see cref="RedisTestFramework"/>, or killed when
/// the process exits before that (an aborted run never reaches <see cref="StopAsync"/>).
/// </summary>
internal sealed class SharedDeployment<T>(Func<string?> named, Func<Task<T>> start, Func<T, string> configurationOf, Action<T> kill)
    where T : class, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _configuration;
    private T? _started;

    public async Task<string> GetConfigurationAsync()
    {
        if (named() is { } shared)
        {
            return shared;
        }
        await _gate.WaitAsync();
        try
        {
            if (_configuration is null)
            {
                var started = await start();
                (_started, _configuration) = (started, configurationOf(started));
                AppDomain.CurrentDomain.ProcessExit += (_, _) => kill(started);
            }
            return _configuration;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the private deployment, if one was started (the end of the run: nothing uses it any more).</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_started is { } started)
            {
                (_started, _configuration) = (null, null);
                await started.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
