using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Switchboard.Redis.Tests.Connections;

/// <summary>
/// Worker hosts in miniature for the connection tests: a generic host serving the <c>default</c> queue, its Redis set up
/// by <c>addRedis</c>, its logs in a <see cref="FakeLogCollector"/>, and a handler <c>test.ping</c> whose runs are counted.
/// Disposing stops every host it started.
/// </summary>
internal sealed class RedisTestHosts : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];

    public FakeLogCollector Logs { get; } = new();

    /// <summary>Completed with the <c>text</c> of each <c>test.ping</c> run.</summary>
    public System.Threading.Channels.Channel<string> Pings { get; } = System.Threading.Channels.Channel.CreateUnbounded<string>();

    public async Task<IHost> StartAsync(Func<ISwitchboardBuilder, ISwitchboardBuilder> addRedis, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new FakeLoggerProvider(Logs));
        services?.Invoke(builder.Services);
        var switchboard = builder.Services.AddSwitchboard(o =>
        {
            o.Workers.Queues = ["default"];
            o.Workers.Count = 1;
        });
        addRedis(switchboard).MapSignal("test.ping", (WindowInfo window, string text) => Pings.Writer.TryWrite(text));
        var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch
        {
            // A host that did not start cannot be stopped: dispose it only.
            host.Dispose();
            throw;
        }
        _hosts.Add(host);
        return host;
    }

    /// <summary>Queues <c>test.ping</c> through <paramref name="host"/> and waits until a worker ran it.</summary>
    public async Task PingAsync(IHost host, string text)
    {
        await host.Services.GetRequiredService<ISignals>().CallAsync(null, "test.ping", to: [Destination.Server], kwargs: new { text }).DefaultTimeout();
        while (true)
        {
            var ran = await Pings.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
            if (ran == text)
            {
                return;
            }
        }
    }

    /// <summary>Stops and disposes <paramref name="host"/> now.</summary>
    public async Task StopAsync(IHost host)
    {
        _hosts.Remove(host);
        await StopAndDisposeAsync(host);
    }

    /// <summary>Every log line and exception text recorded so far.</summary>
    public string AllLogText() =>
        string.Join('\n', Logs.GetSnapshot().Select(r => $"[{r.Id.Id}] {r.Message} {r.Exception}"));

    /// <summary>Options that keep the tests quick.</summary>
    public static void Quick(SwitchboardRedisOptions o, string prefix)
    {
        o.Prefix = prefix;
        o.BlockTimeout = TimeSpan.FromMilliseconds(200);
        o.DelayedPollInterval = TimeSpan.FromMilliseconds(20);
        o.ShareDataProtectionKeys = false;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await StopAndDisposeAsync(host);
        }
    }

    private static async Task StopAndDisposeAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }
}
