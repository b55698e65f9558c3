using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Protocol;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.TestSupport.SwitchboardHarness;

namespace Switchboard.Tests.Workers;

/// <summary>Retries of failing handlers, dead letters, and jobs that name no handler (sent by a process without them).</summary>
public sealed class JobRetryTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _ran = new();
    private SwitchboardHarness _sb = null!;

    public async Task InitializeAsync()
    {
        _sb = await CreateAsync(
            b =>
            {
                b.MapSignal("tests.retry", (WindowInfo w) => _ran.Enqueue("steady")).AllowEveryone().Unordered();
                b.MapSignal("tests.retry", (Action<WindowInfo>)(_ =>
                {
                    _ran.Enqueue("flaky");
                    throw new TimeoutException("database busy");
                })).AllowEveryone().WithRetries(3).Unordered();
                b.MapSignal("tests.retry.ordered", (WindowInfo w) => _ran.Enqueue("steady")).AllowEveryone();
                b.MapSignal("tests.retry.ordered", (Action<WindowInfo>)(_ =>
                {
                    _ran.Enqueue("flaky");
                    throw new TimeoutException("database busy");
                })).AllowEveryone().WithRetries(3);
                b.MapSignal("tests.patient", (Action<WindowInfo>)(_ => throw new TimeoutException())).WithRetries(100);
                b.MapSignal("tests.once", (Action<WindowInfo>)(_ => throw new TimeoutException("no retry"))).AllowEveryone();
                b.MapSignal("tests.routed", (WindowInfo w) => _ran.Enqueue("here"));
                b.MapSignal("tests.routed", (WindowInfo w) => _ran.Enqueue("elsewhere")).OnQueue("other");
            },
            o => (o.Retry.BaseDelay, o.Retry.MaxDelay) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        await _sb.ObserveAsync("-window.ada-window");
    }

    public async Task DisposeAsync() => await _sb.DisposeAsync();

    private IDeadLetterQueue DeadLetters => _sb.Services.GetRequiredService<IDeadLetterQueue>();

    [Fact]
    public async Task FailingHandlerIsRetriedAloneWithTheNextAttemptAfterABackoff()
    {
        var ids = _sb.HandlerIds("tests.retry");
        await _sb.ClientCallAsync(Ada, "tests.retry", callId: 4);
        var job = await _sb.TakeJobAsync("default");

        await _sb.Executor.ExecuteAsync(job, default);
        _sb.Time.Advance(TimeSpan.FromSeconds(1));
        var retry = await _sb.TakeJobAsync("default");

        Assert.Equal(["steady", "flaky"], _ran);
        Assert.Equal(job.Id, retry.Id);
        Assert.Equal(1, retry.Attempt);
        Assert.Equal([ids[1]], retry.Handlers);
        Assert.InRange(retry.NotBefore!.Value, Start, Start.AddSeconds(1));
        Assert.Equal(4, retry.CallId);
        Assert.True(retry.FromClient);
        Assert.Empty(await _sb.PublishedSoFarAsync());
        Assert.Empty(await DeadLetters.ListDeadLettersAsync("default", 10, default));
    }

    [Fact]
    public async Task FailingHandlerOfAnOrderedCallIsHandedBackToBeRetriedInPlaceAloneAfterABackoff()
    {
        var ids = _sb.HandlerIds("tests.retry.ordered");
        await _sb.ClientCallAsync(Ada, "tests.retry.ordered", callId: 4);
        var job = await _sb.TakeJobAsync("default");
        Assert.Equal(Ada.WindowKey, job.OrderingKey);

        var retry = await _sb.Executor.ExecuteAsync(job, default);

        Assert.NotNull(retry);
        Assert.Equal([ids[1]], retry.Handlers);
        Assert.InRange(retry.Delay, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal(["steady", "flaky"], _ran);
        await _sb.AssertNoJobEvenLaterAsync("default");
        Assert.Empty(await DeadLetters.ListDeadLettersAsync("default", 10, default));
    }

    [Fact]
    public async Task LastFailedAttemptOfAnOrderedCallIsDeadLetteredAndNotHandedBack()
    {
        await _sb.ClientCallAsync(Ada, "tests.retry.ordered", callId: 8);
        var job = (await _sb.TakeJobAsync("default")).WithAttempt(2, null);

        Assert.Null(await _sb.Executor.ExecuteAsync(job, default));

        Assert.Single(await DeadLetters.ListDeadLettersAsync("default", 10, default));
    }

    [Fact]
    public async Task BackoffNeverExceedsTheMaximumDelay()
    {
        // Attempt 10: BaseDelay·2^10 is 1024 s, MaxDelay (2 s) caps it. The delay is random, so try it 20 times.
        var job = Job("tests.patient", _sb.HandlerIds("tests.patient")).WithAttempt(10, null);

        for (var i = 0; i < 20; i++)
        {
            var executedAt = _sb.Time.GetUtcNow();
            await _sb.Executor.ExecuteAsync(job, default);
            _sb.Time.Advance(TimeSpan.FromSeconds(2));
            var retry = await _sb.TakeJobAsync("default");
            Assert.InRange(retry.NotBefore!.Value, executedAt, executedAt.AddSeconds(2));
            job = retry.WithAttempt(10, null);
        }
    }

    [Fact]
    public async Task LastFailedAttemptGoesToTheDeadLettersAndIsReported()
    {
        var job = await BrowserJobAsync("tests.retry", callId: 8);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await _sb.Executor.ExecuteAsync(job, default);
            if (attempt < 2)
            {
                _sb.Time.Advance(TimeSpan.FromSeconds(2));
                job = await _sb.TakeJobAsync("default");
            }
        }

        Assert.Equal(["steady", "flaky", "flaky", "flaky"], _ran);
        var dead = Assert.Single(await DeadLetters.ListDeadLettersAsync("default", 10, default));
        Assert.Equal([_sb.HandlerIds("tests.retry")[1]], dead.Job!.Handlers);
        Assert.Contains("TimeoutException", dead.Reason, StringComparison.Ordinal);
        Assert.Contains("database busy", dead.Reason, StringComparison.Ordinal);
        var frame = Assert.Single(await _sb.PublishedSoFarAsync()).Json();
        Assert.Equal(ProtocolNames.ErrorCodes.HandlerFailed, (string?)frame["code"]);
        Assert.Equal(8, (long?)frame["id"]);
        await _sb.AssertNoJobEvenLaterAsync("default");
    }

    [Fact]
    public async Task HandlerWithoutRetriesFailsAtOnce()
    {
        await _sb.Executor.ExecuteAsync(await BrowserJobAsync("tests.once"), default);

        Assert.Single(await DeadLetters.ListDeadLettersAsync("default", 10, default));
        Assert.Single(await _sb.PublishedSoFarAsync());
        await _sb.AssertNoJobEvenLaterAsync("default");
    }

    [Fact]
    public async Task DefaultMaxAttemptsComesFromTheOptions()
    {
        await using var sb = await CreateAsync(
            b => b.MapSignal("tests.fails", (Action<WindowInfo>)(_ => throw new TimeoutException())),
            o => o.Retry.DefaultMaxAttempts = 2);
        await sb.Dispatcher.CallAsync(null, "tests.fails", [Destination.Server]);

        await sb.Executor.ExecuteAsync(await sb.TakeJobAsync("default"), default);
        sb.Time.Advance(TimeSpan.FromSeconds(1));
        await sb.Executor.ExecuteAsync(await sb.TakeJobAsync("default"), default);

        var deadLetters = sb.Services.GetRequiredService<IDeadLetterQueue>();
        Assert.Equal(1, Assert.Single(await deadLetters.ListDeadLettersAsync("default", 10, default)).Job!.Attempt);
    }

    [Fact]
    public async Task DeadLetterOfTheExecutorIsRequeuedOntoTheQueueWorkersTake()
    {
        // The dead-letter contract itself is DeadLetterQueueConformanceTests'; this is the wiring: the IDeadLetterQueue
        // the executor and an operator get from DI re-queues onto the IJobQueue the workers take from.
        var job = await BrowserJobAsync("tests.once");
        await _sb.Executor.ExecuteAsync(job, default);
        var dead = Assert.Single(await DeadLetters.ListDeadLettersAsync("default", 10, default));

        Assert.True(await DeadLetters.RequeueDeadLetterAsync("default", dead.Id, default));

        var again = await _sb.TakeJobAsync("default");
        Assert.Equal((job.Id, 0), (again.Id, again.Attempt));
        Assert.Equal(job.Handlers, again.Handlers);
    }

    [Fact]
    public async Task JobNamingAnUnknownHandlerIsDeadLetteredForThatHandler()
    {
        var job = Job("tests.routed", ["tests.routed#from-newer-code"]);

        await _sb.Executor.ExecuteAsync(job, default);

        Assert.Empty(_ran);
        var dead = Assert.Single(await DeadLetters.ListDeadLettersAsync("default", 10, default));
        Assert.Equal(["tests.routed#from-newer-code"], dead.Job!.Handlers);
    }

    [Fact]
    public async Task JobNamingNoHandlerRunsThisQueuesHandlersAndForwardsTheOthers()
    {
        var ids = _sb.HandlerIds("tests.routed");

        await _sb.Executor.ExecuteAsync(Job("tests.routed", []), default);

        Assert.Equal(["here"], _ran);
        var forwarded = await _sb.TakeJobAsync("other");
        Assert.Equal([ids[1]], forwarded.Handlers);
        Assert.Equal("tests.routed", forwarded.Signal);
        Assert.Same(Ada, forwarded.Window);
        await _sb.AssertNoJobAsync("default");
    }

    [Fact]
    public async Task JobNamingNoHandlerOfAnUnknownSignalIsDeadLettered()
    {
        await _sb.Executor.ExecuteAsync(Job("tests.nobody.here", []), default);

        Assert.Equal("tests.nobody.here", Assert.Single(await DeadLetters.ListDeadLettersAsync("default", 10, default)).Job!.Signal);
    }

    private async Task<SignalJob> BrowserJobAsync(string signal, long callId = 1)
    {
        Assert.True((await _sb.ClientCallAsync(Ada, signal, callId: callId)).Accepted);
        return await _sb.TakeJobAsync("default");
    }

    private static SignalJob Job(string signal, string[] handlers) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Queue = "default",
        Signal = signal,
        Window = Ada,
        Handlers = handlers,
        CreatedAt = Start,
    };
}
