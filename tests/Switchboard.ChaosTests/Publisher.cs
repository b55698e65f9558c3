using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchboard.ChaosTests;

/// <summary>One numbered message the publisher sent, and whether the broker took it (no event 1201 during the call).</summary>
internal sealed record SentMessage(string Batch, int N, bool Published, TimeSpan Start, TimeSpan End);

/// <summary>
/// The publisher: an emitter as in docs/scaling.md (<c>AddSwitchboard().AddRedis(...)</c>, no web host, no handlers) run
/// inside the test process, so it can pace its messages and know each one's fate. It sends <c>demo.chat.message</c>
/// <c>{room, text, b, n}</c> to the demo's room <c>ChatRoom("lobby")</c> one at a time; a call during which the node logged event 1201
/// (BrokerPublishFailed: Redis unreachable) is recorded as not published — no window can get it, since this process has
/// no windows of its own.
/// </summary>
internal sealed class Publisher : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ISignals _signals;
    private readonly EventCounter _events;
    private readonly Stopwatch _clock;
    private readonly ConcurrentQueue<SentMessage> _sent = new();

    private Publisher(IHost host, EventCounter events, Stopwatch clock)
    {
        _host = host;
        _events = events;
        _clock = clock;
        _signals = host.Services.GetRequiredService<ISignals>();
    }

    public IReadOnlyList<SentMessage> Sent => [.. _sent];

    public static async Task<Publisher> StartAsync(string redis, string prefix, Stopwatch clock)
    {
        var events = new EventCounter();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(events);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSwitchboard(o => o.Workers.Enabled = false).AddRedis(redis, o => o.Prefix = prefix);
        var host = builder.Build();
        await host.StartAsync();
        return new Publisher(host, events, clock);
    }

    /// <summary>Sends <c>{batch}-1</c>, <c>{batch}-2</c>, … every <paramref name="interval"/> until stopped.</summary>
    public async Task RunAsync(string batch, TimeSpan interval, CancellationToken stop)
    {
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            await PublishAsync(batch, n);
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task PublishAsync(string batch, int n)
    {
        var failuresBefore = _events.Count(1201);
        var start = _clock.Elapsed;
        await _signals.CallAsync(null, ChaosPage.ChatSignal, to: [new Switchboard.Demo.ChatRoom("lobby")],
            kwargs: new { room = "lobby", text = $"{batch}-{n}", b = batch, n });
        _sent.Enqueue(new SentMessage(batch, n, _events.Count(1201) == failuresBefore, start, _clock.Elapsed));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _host.Dispose();
    }

    /// <summary>Counts log entries by event id.</summary>
    private sealed class EventCounter : ILoggerProvider
    {
        private readonly ConcurrentDictionary<int, int> _counts = new();

        public int Count(int eventId) => _counts.GetValueOrDefault(eventId);

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(EventCounter owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._counts.AddOrUpdate(eventId.Id, 1, (_, c) => c + 1);
        }
    }
}
