using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Workers;
using Switchboard.Specification.Tests;
using Switchboard.Tests.Registry.Discovered;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.TestSupport.SwitchboardHarness;

namespace Switchboard.Tests.Workers;

/// <summary>
/// Which queues a process works on, seen as production sees it: a job on a served queue runs, a job on another stays
/// on its queue, and each served queue is logged once (ServingQueue, event 2001) with its worker count.
/// </summary>
public sealed class WorkerHostTests : IAsyncLifetime
{
    private const int ServingQueue = 2001;
    private readonly FakeLogCollector _logs = new();
    private readonly ConcurrentQueue<string> _ran = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;
    private SwitchboardHarness? _sb;
    private WorkerHost? _workers;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        if (_workers is not null)
        {
            await _workers.StopAsync(default).DefaultTimeout();
        }
        if (_sb is not null)
        {
            await _sb.DisposeAsync();
        }
    }

    [Fact]
    public async Task ListedQueuesAndTheDeliveryQueueAreServedAndNoOther()
    {
        var sb = await StartAsync(w => w.Queues = ["a"]);

        Assert.Equal(["a", SignalDispatcher.DeliveryQueue], ServedQueues().Order(StringComparer.Ordinal));
        await sb.Dispatcher.CallAsync(null, "tests.on_b", [Destination.Server]);
        await sb.Dispatcher.CallAsync(null, "tests.on_default", [Destination.Server]);
        await sb.Dispatcher.CallAsync(null, "tests.on_a", [Destination.Server]);
        await WaitUntilRanAsync("a");
        await DelayedBrowserMessageIsDeliveredAsync(sb);

        Assert.Equal("tests.on_b", (await sb.TakeJobAsync("b")).Signal);
        Assert.Equal("tests.on_default", (await sb.TakeJobAsync("default")).Signal);
        Assert.Equal(["a"], _ran);
    }

    [Fact]
    public async Task NoListedQueueWithoutServeAllServesNothing()
    {
        // A Redis web node: it only produces jobs; worker processes take them.
        var sb = await StartAsync(w => w.ServeAllQueuesWhenNoneListed = false);

        await sb.Dispatcher.CallAsync(null, "tests.on_default", [Destination.Server]);

        Assert.Empty(ServedQueues());
        Assert.Equal("tests.on_default", (await sb.TakeJobAsync("default")).Signal);
        Assert.Empty(_ran);
    }

    [Fact]
    public async Task DisabledWorkersServeNothingEvenWithQueuesListed()
    {
        var sb = await StartAsync(w => (w.Enabled, w.Queues) = (false, ["a"]));

        await sb.Dispatcher.CallAsync(null, "tests.on_a", [Destination.Server]);

        Assert.Empty(ServedQueues());
        Assert.Equal("tests.on_a", (await sb.TakeJobAsync("a")).Signal);
        Assert.Empty(_ran);
    }

    [Fact]
    public async Task OneProcessServesEveryQueueItKnowsAndEachQueueThatAppearsLater()
    {
        var sb = await StartAsync(_ => { });

        Assert.Equal(["a", "b", "default", "room-lobby", SignalDispatcher.DeliveryQueue], ServedQueues().Order(StringComparer.Ordinal));
        await sb.Dispatcher.CallAsync(null, "tests.on_room", [Destination.Server], new { room = "7" });
        await WaitUntilRanAsync("room-7");
        await sb.Dispatcher.CallAsync(null, "tests.on_default", [Destination.Server]);
        await sb.Dispatcher.CallAsync(null, "tests.on_b", [Destination.Server]);
        await WaitUntilRanAsync("default");
        await WaitUntilRanAsync("b");
        await DelayedBrowserMessageIsDeliveredAsync(sb);
        Assert.Contains("room-7", ServedQueues());
    }

    [Fact]
    public async Task EachQueueRunsItsConfiguredNumberOfWorkers()
    {
        var sb = await StartAsync(w => (w.Queues, w.Count, w.PerQueue["a"]) = (["a", "b"], 2, 3));

        Assert.Equal([("a", "3"), ("b", "2"), (SignalDispatcher.DeliveryQueue, "2")],
            Serving().Select(r => (r.GetStructuredStateValue("Queue"), r.GetStructuredStateValue("Count"))).Order());
        for (var i = 0; i < 4; i++)
        {
            await sb.Dispatcher.CallAsync(null, "tests.blocking_a", [Destination.Server]);
        }

        // Three handlers run at once on "a"; the fourth job waits for one of them.
        await WaitUntilAsync(() => Volatile.Read(ref _running) == 3, "three jobs of queue a running at once");
        _release.SetResult();
        await WaitUntilAsync(() => _ran.Count(r => r == "blocking-a") == 4, "all four jobs of queue a run");
    }

    [Fact]
    public async Task StoppingAfterDisposeIsQuiet()
    {
        // WebApplicationFactory (with Kestrel) disposes the services before it stops the host.
        await StartAsync(_ => { });

        await _workers!.DisposeAsync();
        await _workers.StopAsync(default).DefaultTimeout();
    }

    [Fact]
    public async Task StoppedHostServesNoQueueThatAppearsLater()
    {
        var sb = await StartAsync(_ => { });
        var served = ServedQueues().Count;

        await _workers!.StopAsync(default).DefaultTimeout();
        await sb.Dispatcher.CallAsync(null, "tests.on_room", [Destination.Server], new { room = "8" });

        Assert.Equal(served, ServedQueues().Count);
        Assert.Equal("tests.on_room", (await sb.TakeJobAsync("room-8")).Signal);
    }

    private async Task<SwitchboardHarness> StartAsync(Action<WorkerOptions> workers)
    {
        _sb = await CreateAsync(
            b =>
            {
                b.MapSignal("tests.on_a", (WindowInfo w) => _ran.Enqueue("a")).OnQueue("a");
                b.MapSignal("tests.on_b", (WindowInfo w) => _ran.Enqueue("b")).OnQueue("b");
                b.MapSignal("tests.on_default", (WindowInfo w) => _ran.Enqueue("default"));
                b.MapSignal("tests.on_room", (WindowInfo w, string room) => _ran.Enqueue("room-" + room)).OnQueue(new RoomQueueSelector());
                b.MapSignal("tests.blocking_a", async (WindowInfo w) =>
                {
                    Interlocked.Increment(ref _running);
                    await _release.Task;
                    Interlocked.Decrement(ref _running);
                    _ran.Enqueue("blocking-a");
                }).OnQueue("a");
            },
            o => workers(o.Workers),
            s => s.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(_logs)));
        _workers = _sb.Services.GetRequiredService<WorkerHost>();
        await _workers.StartAsync(default);
        return _sb;
    }

    private IEnumerable<FakeLogRecord> Serving() => _logs.GetSnapshot().Where(r => r.Id.Id == ServingQueue);

    private List<string> ServedQueues() => [.. Serving().Select(r => r.GetStructuredStateValue("Queue")!)];

    /// <summary>A browser message sent with a countdown goes through the delivery queue: it arrives once it is due.</summary>
    private static async Task DelayedBrowserMessageIsDeliveredAsync(SwitchboardHarness sb)
    {
        var name = "later-" + Guid.NewGuid().ToString("N");
        var topic = "-str." + name;
        await sb.ObserveAsync(topic);
        await sb.Dispatcher.CallAsync(null, "tests.later", [name], countdown: TimeSpan.FromSeconds(1));

        sb.Time.Advance(TimeSpan.FromSeconds(1));

        await sb.WaitForPublishedAsync(topic);
    }

    private Task WaitUntilRanAsync(string what) => WaitUntilAsync(() => _ran.Contains(what), $"the handler of queue {what} ran");

    private static async Task WaitUntilAsync(Func<bool> condition, string description)
    {
        var deadline = DateTime.UtcNow + TaskTimeoutExtensions.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {description}.");
            await Task.Delay(5);
        }
    }
}
