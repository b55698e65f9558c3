using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.Calls;
using Switchboard.Internal.InMemory;
using Switchboard.Internal.Registry;
using Switchboard.Specification.Tests;
using Switchboard.Internal.Workers;

namespace Switchboard.Tests.TestSupport;

/// <summary>
/// Switchboard's services as AddSwitchboard registers them (hosted services not started: no worker takes jobs, so a
/// test inspects the queues itself), on a fake clock, with an observer node on the in-memory broker network that
/// sees what this node publishes to other nodes.
/// </summary>
internal sealed class SwitchboardHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public static readonly WindowInfo Anonymous = new() { WindowKey = "anon-window", Culture = "en-US" };

    public static readonly WindowInfo Ada = new()
    {
        WindowKey = "ada-window", UserId = "42", UserName = "ada", IsAuthenticated = true, AuthenticationType = "Cookies", Culture = "en-US",
    };

    public static readonly WindowInfo Staff = new()
    {
        WindowKey = "staff-window", UserId = "7", UserName = "sam", IsAuthenticated = true, IsStaff = true, Roles = ["staff"], Culture = "en-US",
    };

    private readonly InMemoryBroker _observerNode;
    private readonly string _markerTopic = "-str.marker." + Guid.NewGuid().ToString("N");
    private int _markers;

    private SwitchboardHarness(ServiceProvider services, FakeTimeProvider time)
    {
        Services = services;
        Time = time;
        _observerNode = new InMemoryBroker(services.GetRequiredService<InMemoryBrokerNetwork>());
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Every message this node published through the broker to the topics the observer subscribed to.</summary>
    public BrokerMessageRecorder Published { get; } = new();

    public SignalDispatcher Dispatcher => Services.GetRequiredService<SignalDispatcher>();

    public JobExecutor Executor => Services.GetRequiredService<JobExecutor>();

    public InMemoryJobQueue Jobs => (InMemoryJobQueue)Services.GetRequiredService<IJobQueue>();

    public SignalRegistry Registry => Services.GetRequiredService<SignalRegistry>();

    public static async Task<SwitchboardHarness> CreateAsync(
        Action<ISwitchboardBuilder> signals, Action<SwitchboardOptions>? options = null, Action<IServiceCollection>? services = null)
    {
        var time = new FakeTimeProvider(Start);
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(time);
        services?.Invoke(collection);
        var builder = collection.AddSwitchboard(options);
        signals(builder);
        var harness = new SwitchboardHarness(collection.BuildServiceProvider(validateScopes: true), time);
        await harness._observerNode.StartAsync(harness.Published.OnMessageAsync, default);
        await harness._observerNode.SubscribeAsync(harness._markerTopic, default);
        return harness;
    }

    /// <summary>Makes the observer node receive what is published to these topics.</summary>
    public async Task ObserveAsync(params string[] topics)
    {
        foreach (var topic in topics)
        {
            await _observerNode.SubscribeAsync(topic, default);
        }
    }

    /// <summary>
    /// Publishes a marker through this node and waits for it: everything published before it has then reached the
    /// observer, so the test can assert what did NOT arrive.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMessage>> PublishedSoFarAsync()
    {
        var text = "marker-" + Interlocked.Increment(ref _markers);
        await Services.GetRequiredService<TopicPublisher>().PublishAsync([_markerTopic], Encoding.UTF8.GetBytes(text), default);
        await Published.WaitForAsync(_markerTopic, text);
        return [.. Published.Messages.Where(m => m.Topic != _markerTopic)];
    }

    /// <summary>Takes the next available job of <paramref name="queue"/> (waiting at most the default timeout).</summary>
    public async Task<SignalJob> TakeJobAsync(string queue)
    {
        var lease = await Jobs.DequeueAsync(queue, default).DefaultTimeout();
        await Jobs.CompleteAsync(lease, default);
        return lease.Job;
    }

    /// <summary>Fails if <paramref name="queue"/> has a job available now (the in-memory queue hands out available jobs synchronously).</summary>
    public async Task AssertNoJobAsync(string queue)
    {
        using var cancel = new CancellationTokenSource();
        var pending = Jobs.DequeueAsync(queue, cancel.Token);
        if (pending.IsCompleted)
        {
            Assert.Fail($"Queue '{queue}' unexpectedly had job {(await pending).Job.Id} ({(await pending).Job.Signal}).");
        }
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask());
    }

    /// <summary>
    /// Fails if <paramref name="queue"/> has a job now or within a day (the clock moves on a day): nothing was delayed
    /// for later either.
    /// </summary>
    public async Task AssertNoJobEvenLaterAsync(string queue)
    {
        Time.Advance(TimeSpan.FromDays(1));
        await AssertNoJobAsync(queue);
    }

    /// <summary>The ids of the handlers of <paramref name="signal"/>, in registration order.</summary>
    public string[] HandlerIds(string signal) => [.. Registry.GetHandlers(signal).Select(h => h.Id)];

    /// <summary>A browser call, as the connection makes it.</summary>
    public ValueTask<ClientCallResult> ClientCallAsync(WindowInfo window, string signal, string opts = "{}", long callId = 1) =>
        Dispatcher.DispatchClientCallAsync(window, signal, JsonNode.Parse(opts)!.AsObject(), callId, default);

    /// <summary>A browser invoke of a remote function, as the connection makes it (<paramref name="opts"/> is the text as sent).</summary>
    public ValueTask<ClientCallResult> ClientInvokeAsync(WindowInfo window, string function, string opts = "{}", long callId = 1) =>
        Dispatcher.DispatchClientInvokeAsync(window, function, opts, Encoding.UTF8.GetByteCount(opts), callId, default);

    public async ValueTask DisposeAsync()
    {
        _observerNode.Dispose();
        await Services.DisposeAsync();
    }
}
