using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.Calls;
using Switchboard.Internal.InMemory;
using Switchboard.Internal.Registry;
using Switchboard.Specification.Tests;
using Switchboard.Internal.Workers;
using Switchboard.Testing;

namespace Switchboard.Tests.TestSupport;

/// <summary>
/// Switchboard's services as AddSwitchboard registers them, in the public <see cref="SwitchboardTestHost"/> (its fake
/// clock, its capture of what is published, its tracked job queue) with the hosted services not started: no worker
/// takes jobs, so a test takes them itself and runs the internals it tests (<see cref="Dispatcher"/>, <see cref="Executor"/>).
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

    private readonly SwitchboardTestHost _host;
    // Topic → the index of the first captured message that counts: what was published once the test observed the topic.
    private readonly ConcurrentDictionary<string, int> _observed = new(StringComparer.Ordinal);

    private SwitchboardHarness(SwitchboardTestHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public FakeTimeProvider Time => _host.Time;

    public SignalDispatcher Dispatcher => Services.GetRequiredService<SignalDispatcher>();

    public JobExecutor Executor => Services.GetRequiredService<JobExecutor>();

    public InMemoryJobQueue Jobs => (InMemoryJobQueue)_host.AppJobs;

    public SignalRegistry Registry => Services.GetRequiredService<SignalRegistry>();

    public static async Task<SwitchboardHarness> CreateAsync(
        Action<ISwitchboardBuilder> signals, Action<SwitchboardOptions>? options = null, Action<IServiceCollection>? services = null)
    {
        var host = await SwitchboardTestHost.StartAsync(
            collection =>
            {
                collection.AddLogging();
                services?.Invoke(collection);
                signals(collection.AddSwitchboard(options));
            },
            o =>
            {
                o.StartTime = Start;
                o.StartHostedServices = false;
                o.Timeout = TaskTimeoutExtensions.Timeout;
            });
        return new SwitchboardHarness(host);
    }

    /// <summary>From now on, messages published to these topics count in <see cref="PublishedSoFarAsync"/>.</summary>
    public Task ObserveAsync(params string[] topics)
    {
        var from = _host.Captured is { Count: > 0 } captured ? captured[^1].Index + 1 : 0;
        foreach (var topic in topics)
        {
            _observed.TryAdd(topic, from);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every message published so far to an observed topic (since it was observed), one record per observed topic of a
    /// message: the capture records a message as it is published, so nothing published before this call is still on its way.
    /// </summary>
    public Task<IReadOnlyList<ReceivedMessage>> PublishedSoFarAsync() =>
        Task.FromResult<IReadOnlyList<ReceivedMessage>>([.. _host.Captured.SelectMany(Observed)]);

    /// <summary>Waits for a message published to <paramref name="topic"/> (workers publish on their own threads).</summary>
    public Task WaitForPublishedAsync(string topic) =>
        _host.WaitForCapturedAsync(m => m.Topics.Contains(topic), $"a message on topic '{topic}'");

    /// <summary>Takes the next available job of <paramref name="queue"/> (waiting at most the default timeout).</summary>
    public async Task<SignalJob> TakeJobAsync(string queue)
    {
        var lease = await _host.TrackedJobs.DequeueAsync(queue, default).DefaultTimeout();
        await _host.TrackedJobs.CompleteAsync(lease, default);
        return lease.Job;
    }

    /// <summary>Fails if <paramref name="queue"/> has a job available now (the in-memory queue hands out available jobs synchronously).</summary>
    public async Task AssertNoJobAsync(string queue)
    {
        using var cancel = new CancellationTokenSource();
        var pending = _host.TrackedJobs.DequeueAsync(queue, cancel.Token);
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

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private IEnumerable<ReceivedMessage> Observed(SentMessage message)
    {
        byte[]? payload = null;
        foreach (var topic in message.Topics)
        {
            if (_observed.TryGetValue(topic, out var from) && message.Index >= from)
            {
                // The broker's body: the frame's members without its braces.
                payload ??= Encoding.UTF8.GetBytes(message.Frame.GetRawText()[1..^1]);
                yield return new ReceivedMessage(topic, payload, default);
            }
        }
    }
}
