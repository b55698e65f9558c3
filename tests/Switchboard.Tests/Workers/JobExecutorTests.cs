using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Calls;
using Switchboard.Internal.Protocol;
using Switchboard.Specification.Tests;
using Switchboard.Tests.Registry.Discovered;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.TestSupport.SwitchboardHarness;

namespace Switchboard.Tests.Workers;

/// <summary>JobExecutor: every handler runs in isolation; failures of browser calls are reported to the calling window.</summary>
public sealed class JobExecutorTests : IAsyncLifetime
{
    private const string AdaWindowTopic = "-window.ada-window";
    private readonly ConcurrentQueue<string> _ran = new();
    private readonly DiscoveredDependency _dependency = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SwitchboardHarness _sb = null!;

    public async Task InitializeAsync()
    {
        _sb = await CreateAsync(
            b =>
            {
                b.AddSignalsFrom(typeof(DiscoveredSignals).Assembly);
                b.MapSignal("tests.isolated", (WindowInfo w) => _ran.Enqueue("first")).AllowEveryone();
                b.MapSignal("tests.isolated", (Action<WindowInfo>)(_ => throw new InvalidOperationException("secret connection string"))).AllowEveryone();
                b.MapSignal("tests.isolated", (WindowInfo w) => _ran.Enqueue("third")).AllowEveryone();
                b.MapSignal("tests.told", (Action<WindowInfo>)(_ => throw new SignalException("The room is full."))).AllowEveryone();
                b.MapSignal("tests.binding", (WindowInfo w, int count) => _ran.Enqueue("typed " + count)).AllowEveryone();
                b.MapSignal("tests.binding", (WindowInfo w, [CatchAll] JsonObject rest) => _ran.Enqueue("catch-all " + rest.ToJsonString())).AllowEveryone();
                b.MapSignal("tests.culture", (WindowInfo w) => _ran.Enqueue(CultureInfo.CurrentCulture.Name + "|" + CultureInfo.CurrentUICulture.Name));
                b.MapSignal("tests.scoped", (WindowInfo w, ScopedThing thing, [CatchAll] JsonObject rest) =>
                {
                    _ran.Enqueue($"{thing.Id}:{rest["n"]}");
                    rest["n"] = 99;
                });
                b.MapSignal("tests.scoped", (WindowInfo w, ScopedThing thing, [CatchAll] JsonObject rest) => _ran.Enqueue($"{thing.Id}:{rest["n"]}"));
                b.MapSignal("tests.slow", async (WindowInfo w) =>
                {
                    await _gate.Task;
                    _ran.Enqueue("slow done");
                    return 42;
                });
                b.MapSignal("tests.cancellable", async (WindowInfo w, CancellationToken ct) => await Task.Delay(Timeout.Infinite, ct));
            },
            services: s => s.AddScoped<ScopedThing>().AddSingleton(_dependency));
        await _sb.ObserveAsync(AdaWindowTopic);
    }

    public async Task DisposeAsync() => await _sb.DisposeAsync();

    [Fact]
    public async Task FailingHandlerDoesNotStopTheOthersAndItsWindowGetsAGenericError()
    {
        var job = await BrowserCallJobAsync("tests.isolated", callId: 12);

        await _sb.Executor.ExecuteAsync(job, default);

        Assert.Equal(["first", "third"], _ran);
        var error = Assert.Single(await _sb.PublishedSoFarAsync());
        Assert.Equal(AdaWindowTopic, error.Topic);
        var frame = error.Json();
        Assert.Equal(ProtocolNames.FrameTypes.Error, (string?)frame["type"]);
        Assert.Equal(ProtocolNames.ErrorCodes.HandlerFailed, (string?)frame["code"]);
        Assert.Equal(12, (long?)frame["id"]);
        Assert.Equal("tests.isolated", (string?)frame["signal"]);
        Assert.DoesNotContain("secret", (string?)frame["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignalExceptionMessageReachesTheWindow()
    {
        await _sb.Executor.ExecuteAsync(await BrowserCallJobAsync("tests.told"), default);

        Assert.Equal("The room is full.", (string?)Assert.Single(await _sb.PublishedSoFarAsync()).Json()["message"]);
    }

    [Fact]
    public async Task DetailedErrorsSendTheExceptionMessage()
    {
        await using var detailed = await CreateAsync(
            b => b.MapSignal("tests.fails", (Action<WindowInfo>)(_ => throw new InvalidOperationException("the details"))).AllowEveryone(),
            o => o.DetailedErrors = true);
        await detailed.ObserveAsync(AdaWindowTopic);
        await detailed.ClientCallAsync(Ada, "tests.fails");

        await detailed.Executor.ExecuteAsync(await detailed.TakeJobAsync("default"), default);

        Assert.Equal("the details", (string?)Assert.Single(await detailed.PublishedSoFarAsync()).Json()["message"]);
    }

    [Fact]
    public async Task HandlerThatCannotBindIsSkippedAndReportedWhileTheOthersRun()
    {
        var job = await BrowserCallJobAsync("tests.binding", """{"count":"many"}""", callId: 3);

        await _sb.Executor.ExecuteAsync(job, default);

        Assert.Equal(["""catch-all {"count":"many"}"""], _ran);
        var frame = Assert.Single(await _sb.PublishedSoFarAsync()).Json();
        Assert.Equal(ProtocolNames.ErrorCodes.BadArguments, (string?)frame["code"]);
        Assert.Equal(3, (long?)frame["id"]);
        Assert.Contains("\"count\"", (string?)frame["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorsOfServerCallsAreNotSentToAnyWindow()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.isolated", [Destination.Server]);

        await _sb.Executor.ExecuteAsync(await _sb.TakeJobAsync("default"), default);

        Assert.Equal(["first", "third"], _ran);
        Assert.Empty(await _sb.PublishedSoFarAsync());
    }

    [Fact]
    public async Task ExpiredJobIsDroppedAndReportedToTheCallingWindow()
    {
        var job = Job("tests.isolated", fromClient: true, expiresAt: Start);

        await _sb.Executor.ExecuteAsync(job, default);

        Assert.Empty(_ran);
        var frame = Assert.Single(await _sb.PublishedSoFarAsync()).Json();
        Assert.Equal(ProtocolNames.ErrorCodes.Expired, (string?)frame["code"]);
        Assert.Equal(5, (long?)frame["id"]);
    }

    [Fact]
    public async Task JobThatExpiresWhileWaitingIsDropped()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.isolated", [Destination.Server], expires: Start.AddSeconds(10));
        var job = await _sb.TakeJobAsync("default");

        _sb.Time.Advance(TimeSpan.FromSeconds(10));
        await _sb.Executor.ExecuteAsync(job, default);

        Assert.Empty(_ran);
        Assert.Empty(await _sb.PublishedSoFarAsync());
    }

    [Fact]
    public async Task JobNotYetExpiredRuns()
    {
        await _sb.Executor.ExecuteAsync(Job("tests.isolated", fromClient: false, expiresAt: Start.AddTicks(1)), default);

        Assert.Equal(["first", "third"], _ran);
    }

    [Fact]
    public async Task DeliveryJobPublishesTheSignalWithItsSignalId()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.browser", [Destination.Window], new { x = 1 }, countdown: TimeSpan.FromSeconds(5));
        _sb.Time.Advance(TimeSpan.FromSeconds(5));
        var delivery = await _sb.TakeJobAsync(SignalDispatcher.DeliveryQueue);

        await _sb.Executor.ExecuteAsync(delivery, default);

        var frame = Assert.Single(await _sb.PublishedSoFarAsync()).Json();
        Assert.Equal("signal", (string?)frame["type"]);
        Assert.Equal("tests.browser", (string?)frame["signal"]);
        Assert.Equal(delivery.SignalId, (string?)frame["signal_id"]);
        Assert.Equal("""{"x":1}""", frame["opts"]!.ToJsonString());
    }

    [Fact]
    public async Task ExpiredDeliveryIsNotPublished()
    {
        await _sb.Dispatcher.CallAsync(Ada, "tests.browser", [Destination.Window], countdown: TimeSpan.FromSeconds(5), expires: Start.AddSeconds(5));
        _sb.Time.Advance(TimeSpan.FromSeconds(5));

        await _sb.Executor.ExecuteAsync(await _sb.TakeJobAsync(SignalDispatcher.DeliveryQueue), default);

        Assert.Empty(await _sb.PublishedSoFarAsync());
    }

    [Fact]
    public async Task HandlerRunsUnderTheWindowsCultureWhichIsRestoredAfterwards()
    {
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en-US");
        try
        {
            await _sb.Executor.ExecuteAsync(Job("tests.culture", window: new WindowInfo { WindowKey = "w", Culture = "fr-FR" }), default);

            Assert.Equal(["fr-FR|fr-FR"], _ran);
            Assert.Equal("en-US", CultureInfo.CurrentCulture.Name);
            Assert.Equal("en-US", CultureInfo.CurrentUICulture.Name);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }

    [Fact]
    public async Task UnknownCultureKeepsTheWorkersCulture()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en-US");
        try
        {
            await _sb.Executor.ExecuteAsync(Job("tests.culture", window: new WindowInfo { WindowKey = "w", Culture = "not a culture!" }), default);

            Assert.Equal(["en-US|en-US"], _ran);
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public async Task EachHandlerGetsItsOwnScopeAndItsOwnCopyOfTheKwargs()
    {
        await _sb.Executor.ExecuteAsync(Job("tests.scoped", kwargs: """{"n":1}"""), default);

        var results = _ran.ToArray();
        Assert.Equal(2, results.Length);
        Assert.EndsWith(":1", results[0], StringComparison.Ordinal);
        Assert.EndsWith(":1", results[1], StringComparison.Ordinal);
        Assert.NotEqual(results[0].Split(':')[0], results[1].Split(':')[0]);
    }

    [Fact]
    public async Task UnknownHandlerIdIsSkippedAndTheOthersRun()
    {
        var job = Job("tests.isolated", handlers: ["tests.isolated#from-other-code", _sb.HandlerIds("tests.isolated")[0]]);

        await _sb.Executor.ExecuteAsync(job, default);

        Assert.Equal(["first"], _ran);
    }

    [Fact]
    public async Task ExecutionWaitsForAnAsynchronousHandler()
    {
        var running = _sb.Executor.ExecuteAsync(Job("tests.slow"), default);
        Assert.False(running.IsCompleted);

        _gate.SetResult();
        await running.DefaultTimeout();

        Assert.Equal(["slow done"], _ran);
    }

    [Fact]
    public async Task CancellationReachesTheHandlerAndStopsTheJob()
    {
        using var stopping = new CancellationTokenSource();
        var running = _sb.Executor.ExecuteAsync(Job("tests.cancellable"), stopping.Token);
        Assert.False(running.IsCompleted);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.DefaultTimeout());
    }

    [Fact]
    public async Task InstanceHandlerIsCreatedFromDependencyInjection()
    {
        await _sb.Executor.ExecuteAsync(Job("tests.discovered.instance", kwargs: """{"count":"3"}"""), default);

        Assert.Equal([3], _dependency.Calls);
    }

    private async Task<SignalJob> BrowserCallJobAsync(string signal, string opts = "{}", long callId = 1)
    {
        var result = await _sb.ClientCallAsync(Ada, signal, opts, callId);
        Assert.True(result.Accepted, result.Message);
        return await _sb.TakeJobAsync("default");
    }

    private SignalJob Job(
        string signal, string kwargs = "{}", bool fromClient = false, DateTimeOffset? expiresAt = null, WindowInfo? window = null,
        string[]? handlers = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Queue = "default",
        Signal = signal,
        Window = window ?? Ada,
        Kwargs = kwargs,
        Handlers = handlers ?? _sb.HandlerIds(signal),
        FromClient = fromClient,
        CallId = fromClient ? 5 : null,
        CreatedAt = Start,
        ExpiresAt = expiresAt,
    };

    public sealed class ScopedThing
    {
        public Guid Id { get; } = Guid.NewGuid();
    }
}
