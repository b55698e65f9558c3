using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis.Tests;

/// <summary>
/// Whole worker processes in miniature: a generic host (no web) with <c>AddSwitchboard(...).AddRedis(...)</c>, handlers
/// mapped with <c>MapSignal</c>, serving the <c>default</c> queue — the path a worker process takes, on real Redis.
/// </summary>
public sealed class RedisHostTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly List<IHost> _hosts = [];
    private readonly LogCapture _logs = new(output);
    private readonly string _prefix = redis.Prefix + Guid.NewGuid().ToString("N")[..8] + ":";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await host.StopAsync(timeout.Token);
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    [RedisFact]
    public async Task HandlerThatFailsTwiceIsRetriedAndSucceedsOnTheThirdRun()
    {
        var runs = 0;
        var succeeded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await StartHostAsync(redis.Configuration, b => b.MapSignal("test.flaky", (WindowInfo window, string text) =>
        {
            if (Interlocked.Increment(ref runs) <= 2)
            {
                throw new InvalidOperationException("flaky failure " + runs);
            }
            Assert.Equal("payload", text);
            succeeded.TrySetResult();
        }).WithRetries(3));

        await Signals(host).CallAsync(null, "test.flaky", to: [Destination.Server], kwargs: new { text = "payload" }).DefaultTimeout();

        await succeeded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await RedisPolling.WaitUntilAsync(async () => await PendingAsync("default") == 0 && await DelayedAsync() == 0, "the job acknowledged, no retry left");
        Assert.Equal(3, Volatile.Read(ref runs));
        Assert.Equal(2, _logs.Entries.Count(e => e.EventId.Id == 2106));
        Assert.Empty(await DeadLetters(host).ListDeadLettersAsync("default", 10, default).DefaultTimeout());
    }

    [RedisFact]
    public async Task HandlerThatAlwaysFailsEndsInTheDeadLettersWithItsAttemptsCounted()
    {
        var runs = 0;
        var host = await StartHostAsync(redis.Configuration, b => b.MapSignal("test.broken", (WindowInfo window) =>
        {
            Interlocked.Increment(ref runs);
            throw new InvalidOperationException("always broken");
        }).WithRetries(3));

        await Signals(host).CallAsync(null, "test.broken", to: [Destination.Server]).DefaultTimeout();

        var letter = await WaitForDeadLetterAsync(host);
        Assert.Equal(3, Volatile.Read(ref runs));
        Assert.Equal("test.broken", letter.Job!.Signal);
        Assert.Equal(2, letter.Job.Attempt); // zero-based: the third attempt
        Assert.Equal(["test.broken#delegate1"], letter.Job.Handlers);
        Assert.Contains("InvalidOperationException", letter.Reason, StringComparison.Ordinal);
        Assert.Contains("always broken", letter.Reason, StringComparison.Ordinal);
        Assert.Equal(2, _logs.Entries.Count(e => e.EventId.Id == 2106));
        Assert.Single(_logs.Entries, e => e.EventId.Id == 2104);

        // Re-queued once "fixed": it gets a fresh attempt count, so three more runs before it is dead again.
        Assert.True(await DeadLetters(host).RequeueDeadLetterAsync("default", letter.Id, default).DefaultTimeout());
        var again = await WaitForDeadLetterAsync(host);
        Assert.NotEqual(letter.Id, again.Id);
        Assert.Equal(6, Volatile.Read(ref runs));
        Assert.Equal(2, again.Job!.Attempt);
    }

    [RedisFact]
    public async Task WorkerKeepsWorkingWhenTheStreamIsLostWhileAJobRuns()
    {
        // What a Redis restart without persistence does to a running job: its stream and group are gone when it completes.
        var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await StartHostAsync(redis.Configuration, b =>
        {
            b.MapSignal("test.lose_stream", async (WindowInfo window) => await redis.Db.KeyDeleteAsync(_prefix + "{q:default}"));
            b.MapSignal("test.after", (WindowInfo window) => after.TrySetResult());
        }, workers: 1);

        await Signals(host).CallAsync(null, "test.lose_stream", to: [Destination.Server]).DefaultTimeout();
        await RedisPolling.WaitUntilAsync(() => Task.FromResult(_logs.Has(4305) || _logs.Has(4301) || _logs.Has(2003)), "the lost job completed");
        await Signals(host).CallAsync(null, "test.after", to: [Destination.Server]).DefaultTimeout();

        await after.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [RedisFact]
    public async Task WorkerKeepsWorkingWhenMarkingAJobDoneFails()
    {
        // As when Redis is unreachable at the moment the job finishes: CompleteAsync throws.
        var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await StartHostAsync(redis.Configuration, b =>
        {
            b.MapSignal("test.first", (WindowInfo window) => { });
            b.MapSignal("test.after", (WindowInfo window) => after.TrySetResult());
            b.Services.AddSingleton<FailingCompleteQueue>();
            b.Services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<FailingCompleteQueue>());
        }, workers: 1);

        await Signals(host).CallAsync(null, "test.first", to: [Destination.Server]).DefaultTimeout();
        await RedisPolling.WaitUntilAsync(() => Task.FromResult(host.Services.GetRequiredService<FailingCompleteQueue>().Failures >= 1), "a failed completion");
        await Signals(host).CallAsync(null, "test.after", to: [Destination.Server]).DefaultTimeout();

        await after.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [RedisFact(NeedsServer = true)]
    public async Task HostStartsWhileRedisIsUnreachableAndWorksOnceItIsUp()
    {
        var port = RedisServer.FreePort();
        var ran = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var host = await StartHostAsync("127.0.0.1:" + port, b => b.MapSignal("test.late", (WindowInfo window, string text) => ran.TrySetResult(text)));
        output.WriteLine($"host started in {clock.ElapsedMilliseconds} ms with nothing listening on port {port}");
        // StartHostAsync allows 15 s. Typically 0.5 s, at most a connect timeout (5 s) or two on a loaded machine;
        // reading the Data Protection key ring from Redis used to add command timeouts on top (15 s in all).
        Assert.True(_logs.Has(4003) || _logs.Has(4001), "the missing Redis is logged (RedisNotYetConnected / RedisConnectionFailed)");

        await using var server = await RedisServer.StartOnAsync(port);
        clock.Restart();
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                await Signals(host).CallAsync(null, "test.late", to: [Destination.Server], kwargs: new { text = "made it" })
                    .WaitAsync(TimeSpan.FromSeconds(15));
                break;
            }
            catch (Exception e) when (e is RedisException or TimeoutException && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                output.WriteLine($"enqueue attempt {attempts} failed after {clock.ElapsedMilliseconds} ms: {e.GetType().Name}: {e.Message}");
                await Task.Delay(200);
            }
        }
        output.WriteLine($"job enqueued {clock.ElapsedMilliseconds} ms after Redis started ({attempts} attempt(s))");

        Assert.Equal("made it", await ran.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        output.WriteLine($"job ran {clock.ElapsedMilliseconds} ms after Redis started");
    }

    private async Task<IHost> StartHostAsync(string configuration, Action<ISwitchboardBuilder> handlers, int workers = 2)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(_logs);
        var switchboard = builder.Services.AddSwitchboard(o =>
            {
                o.Workers.Queues = ["default"];
                o.Workers.Count = workers;
                o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
                o.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
            })
            .AddRedis(configuration, o =>
            {
                o.Prefix = _prefix;
                o.BlockTimeout = TimeSpan.FromMilliseconds(200);
                o.DelayedPollInterval = TimeSpan.FromMilliseconds(20);
            });
        handlers(switchboard);
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
        return host;
    }

    /// <summary>The Redis queue, except that completing a job of <c>test.first</c> throws.</summary>
    private sealed class FailingCompleteQueue(RedisJobQueue inner) : IJobQueue
    {
        private int _failures;

        public int Failures => Volatile.Read(ref _failures);

        public ValueTask EnqueueAsync(SignalJob job, CancellationToken cancellationToken) => inner.EnqueueAsync(job, cancellationToken);

        public ValueTask<JobLease> DequeueAsync(string queue, CancellationToken cancellationToken) => inner.DequeueAsync(queue, cancellationToken);

        public ValueTask CompleteAsync(JobLease lease, CancellationToken cancellationToken)
        {
            if (lease.Job.Signal == "test.first")
            {
                Interlocked.Increment(ref _failures);
                throw new RedisException("simulated: Redis went away");
            }
            return inner.CompleteAsync(lease, cancellationToken);
        }

        public ValueTask AbandonAsync(JobLease lease, TimeSpan delay, CancellationToken cancellationToken) => inner.AbandonAsync(lease, delay, cancellationToken);
    }

    private static ISignals Signals(IHost host) => host.Services.GetRequiredService<ISignals>();

    private static IDeadLetterQueue DeadLetters(IHost host) => host.Services.GetRequiredService<IDeadLetterQueue>();

    private async Task<DeadLetter> WaitForDeadLetterAsync(IHost host)
    {
        DeadLetter? found = null;
        await RedisPolling.WaitUntilAsync(async () =>
        {
            var letters = await DeadLetters(host).ListDeadLettersAsync("default", 10, default);
            found = letters.Count == 1 ? letters[0] : null;
            return found is not null;
        }, "a dead letter");
        return found!;
    }

    private async Task<long> PendingAsync(string queue) =>
        await redis.Db.KeyExistsAsync(_prefix + "{q:" + queue + "}")
            ? (await redis.Db.StreamPendingAsync(_prefix + "{q:" + queue + "}", RedisNames.ConsumerGroup)).PendingMessageCount
            : 0;

    private Task<long> DelayedAsync() => redis.Db.SortedSetLengthAsync(_prefix + "{q:default}:delayed");
}
