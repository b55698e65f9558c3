using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Internal.Protocol;
using Switchboard.Tests.Dispatch;
using Switchboard.Tests.TestSupport;
using static Switchboard.Tests.TestSupport.SwitchboardHarness;

namespace Switchboard.Tests.Workers;

/// <summary>
/// A remote function's job: its one handler runs, and the result (its value, or its error) is published once to the
/// calling window's topic as a <c>result</c> frame carrying the invoke's id.
/// </summary>
public sealed class FunctionExecutionTests : IAsyncLifetime
{
    private const string AdaWindowTopic = "-window.ada-window";
    private readonly ConcurrentQueue<string> _ran = new();
    private SwitchboardHarness _sb = null!;

    public async Task InitializeAsync()
    {
        _sb = await StartAsync(detailedErrors: false);
    }

    public async Task DisposeAsync() => await _sb.DisposeAsync();

    private async Task<SwitchboardHarness> StartAsync(bool detailedErrors)
    {
        var sb = await CreateAsync(
            b =>
            {
                b.MapFunction("tests.add", (WindowInfo w, double a, double b) => a + b).AllowEveryone();
                b.MapFunction("tests.task", async (WindowInfo w, string text) =>
                {
                    await Task.Yield();
                    return text.ToUpperInvariant();
                }).AllowEveryone();
                b.MapFunction("tests.value.task", (WindowInfo w) => ValueTask.FromResult(new Point(1, 2))).AllowEveryone();
                b.MapFunction("tests.void", (WindowInfo w) => _ran.Enqueue("void")).AllowEveryone();
                b.MapFunction("tests.async.task", async Task (WindowInfo w) =>
                {
                    await Task.Yield();
                    _ran.Enqueue("task");
                }).AllowEveryone();
                b.MapFunction("tests.null", (WindowInfo w) => (string?)null).AllowEveryone();
                b.MapFunction("tests.service", (WindowInfo w, Counter counter, int by) => counter.Add(by)).AllowEveryone();
                b.MapFunction("tests.who", (WindowInfo w) => new { w.WindowKey, w.UserName }).AllowEveryone();
                b.MapFunction("tests.told", int (WindowInfo w) => throw new SignalException("nope")).AllowEveryone();
                b.MapFunction("tests.crash", int (WindowInfo w) => throw new InvalidOperationException("secret connection string")).AllowEveryone();
                b.MapFunction("tests.flaky", (WindowInfo w) =>
                {
                    _ran.Enqueue("flaky");
                    return _ran.Count(r => r == "flaky") < 3 ? throw new TimeoutException("busy") : "third time";
                }).AllowEveryone().WithRetries(3).Unordered(); // unordered: its retry is a job of its own (ordered ones retry in place, through the worker host)
                b.MapFunction("tests.unserializable", (WindowInfo w) => new SelfReferencing()).AllowEveryone();
                b.MapFunction("tests.expiring", (WindowInfo w) => _ran.Enqueue("expiring ran")).AllowEveryone().ExpiresAfter(TimeSpan.FromSeconds(10));
            },
            o => (o.DetailedErrors, o.Retry.BaseDelay, o.Retry.MaxDelay) = (detailedErrors, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)),
            s => s.AddSingleton<Counter>());
        await sb.ObserveAsync(AdaWindowTopic);
        return sb;
    }

    /// <summary>Invokes as Ada's window, runs the job, returns the one frame published to her window.</summary>
    private static async Task<JsonObject> RunAsync(SwitchboardHarness sb, string function, string opts = "{}", long callId = 5)
    {
        (await sb.ClientInvokeAsync(Ada, function, opts, callId)).AssertAccepted();
        await sb.Executor.ExecuteAsync(await sb.TakeJobAsync("default"), default);
        var message = Assert.Single(await sb.PublishedSoFarAsync());
        Assert.Equal(AdaWindowTopic, message.Topic);
        return message.Json();
    }

    [Fact]
    public async Task ValueIsPublishedToTheCallingWindowAsAResultWithTheInvokesId()
    {
        var frame = await RunAsync(_sb, "tests.add", """{"a":2,"b":3}""", callId: 41);

        Assert.Equal(["id", "signal_id", "type", "value"], frame.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(ProtocolNames.FrameTypes.Result, (string?)frame["type"]);
        Assert.Equal(41, (long?)frame["id"]);
        Assert.Equal(5, (double?)frame["value"]);
    }

    [Theory]
    [InlineData("tests.task", """{"text":"hi"}""", "\"HI\"")]
    [InlineData("tests.value.task", "{}", """{"x":1,"y":2}""")]
    [InlineData("tests.null", "{}", "null")]
    [InlineData("tests.who", "{}", """{"windowKey":"ada-window","userName":"ada"}""")]
    [InlineData("tests.service", """{"by":"4"}""", "4")]
    public async Task ReturnedValuesAreAwaitedBoundAndSerializedWithTheLibrarysJsonOptions(string function, string opts, string expected)
    {
        var frame = await RunAsync(_sb, function, opts);

        Assert.True(frame.ContainsKey("value"));
        Assert.Equal(expected, frame["value"]?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData("tests.void", "void")]
    [InlineData("tests.async.task", "task")]
    public async Task FunctionsReturningNothingAnswerNull(string function, string ran)
    {
        var frame = await RunAsync(_sb, function);

        Assert.Equal([ran], _ran);
        Assert.True(frame.ContainsKey("value"));
        Assert.Null(frame["value"]);
    }

    [Fact]
    public async Task ResultsSignalIdIsTheJobsIdSoARepeatedRunIsOneAnswer()
    {
        (await _sb.ClientInvokeAsync(Ada, "tests.add", """{"a":1,"b":1}""")).AssertAccepted();
        var job = await _sb.TakeJobAsync("default");

        await _sb.Executor.ExecuteAsync(job, default);
        await _sb.Executor.ExecuteAsync(job, default);

        var frames = (await _sb.PublishedSoFarAsync()).Select(m => m.Json()).ToList();
        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.Equal(job.Id, (string?)f["signal_id"]));
    }

    [Fact]
    public async Task SignalExceptionMessageIsTheResultsError()
    {
        var frame = await RunAsync(_sb, "tests.told", callId: 9);

        Assert.Equal(["error", "id", "signal_id", "type"], frame.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(9, (long?)frame["id"]);
        Assert.Equal(ProtocolNames.ErrorCodes.HandlerFailed, (string?)frame["error"]!["code"]);
        Assert.Equal("nope", (string?)frame["error"]!["message"]);
    }

    [Fact]
    public async Task OtherExceptionsGiveAGenericMessageAndTheJobIsDeadLettered()
    {
        var frame = await RunAsync(_sb, "tests.crash");

        Assert.Equal(ProtocolNames.ErrorCodes.HandlerFailed, (string?)frame["error"]!["code"]);
        Assert.Equal("A server handler of 'tests.crash' failed.", (string?)frame["error"]!["message"]);
        var dead = Assert.Single(await _sb.Services.GetRequiredService<IDeadLetterQueue>().ListDeadLettersAsync("default", 10, default));
        Assert.True(dead.Job!.Invoke);
    }

    [Fact]
    public async Task DetailedErrorsSendTheExceptionMessage()
    {
        await using var detailed = await StartAsync(detailedErrors: true);

        var frame = await RunAsync(detailed, "tests.crash");

        Assert.Equal("secret connection string", (string?)frame["error"]!["message"]);
    }

    [Theory]
    [InlineData("""{"a":1}""", "Missing required argument \"b\"")]
    [InlineData("""{"a":1,"b":"x"}""", "\"b\"")]
    [InlineData("""{"a":1,"b":2,"c":3}""", "Invalid argument \"c\"")]
    public async Task ArgumentsThatDoNotBindAnswerBadArguments(string opts, string says)
    {
        var frame = await RunAsync(_sb, "tests.add", opts);

        Assert.Equal(ProtocolNames.ErrorCodes.BadArguments, (string?)frame["error"]!["code"]);
        Assert.Contains(says, (string?)frame["error"]!["message"], StringComparison.Ordinal);
        Assert.StartsWith("tests.add: ", (string?)frame["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvokeThatExpiredBeforeStartingIsAnsweredExpiredWithoutRunning()
    {
        (await _sb.ClientInvokeAsync(Ada, "tests.expiring", callId: 3)).AssertAccepted();
        var job = await _sb.TakeJobAsync("default");
        _sb.Time.Advance(TimeSpan.FromSeconds(10));

        await _sb.Executor.ExecuteAsync(job, default);

        var frame = Assert.Single(await _sb.PublishedSoFarAsync()).Json();
        Assert.Equal(3, (long?)frame["id"]);
        Assert.Equal(ProtocolNames.ErrorCodes.Expired, (string?)frame["error"]!["code"]);
        Assert.Empty(_ran);
    }

    [Fact]
    public async Task WithRetriesOnlyTheLastAttemptAnswers()
    {
        (await _sb.ClientInvokeAsync(Ada, "tests.flaky", callId: 8)).AssertAccepted();

        await _sb.Executor.ExecuteAsync(await _sb.TakeJobAsync("default"), default);
        Assert.Empty(await _sb.PublishedSoFarAsync());
        _sb.Time.Advance(TimeSpan.FromSeconds(2));
        await _sb.Executor.ExecuteAsync(await _sb.TakeJobAsync("default"), default);
        Assert.Empty(await _sb.PublishedSoFarAsync());
        _sb.Time.Advance(TimeSpan.FromSeconds(2));
        var last = await _sb.TakeJobAsync("default");
        await _sb.Executor.ExecuteAsync(last, default);

        Assert.Equal(2, last.Attempt);
        Assert.True(last.Invoke);
        var frame = Assert.Single(await _sb.PublishedSoFarAsync()).Json();
        Assert.Equal(8, (long?)frame["id"]);
        Assert.Equal("third time", (string?)frame["value"]);
    }

    [Fact]
    public async Task AValueThatCannotBeSerializedIsAFailureOfTheFunction()
    {
        var frame = await RunAsync(_sb, "tests.unserializable");

        Assert.Equal(ProtocolNames.ErrorCodes.HandlerFailed, (string?)frame["error"]!["code"]);
        Assert.Equal("A server handler of 'tests.unserializable' failed.", (string?)frame["error"]!["message"]);
    }

    [Fact]
    public async Task AJobNamingAFunctionThisWorkerLacksIsAnsweredHandlerFailed()
    {
        (await _sb.ClientInvokeAsync(Ada, "tests.add", """{"a":1,"b":1}""", callId: 6)).AssertAccepted();
        var job = await _sb.TakeJobAsync("default");
        var foreign = new SignalJob
        {
            Id = job.Id, Queue = job.Queue, Signal = job.Signal, Window = job.Window, Kwargs = job.Kwargs, FromClient = true,
            CallId = job.CallId, Invoke = true, Handlers = ["tests.add#function99"],
        };

        await _sb.Executor.ExecuteAsync(foreign, default);

        var frame = Assert.Single(await _sb.PublishedSoFarAsync()).Json();
        Assert.Equal(6, (long?)frame["id"]);
        Assert.Equal(ProtocolNames.ErrorCodes.HandlerFailed, (string?)frame["error"]!["code"]);
    }

    public sealed record Point(int X, int Y);

    public sealed class SelfReferencing
    {
        public SelfReferencing Self => this;
    }

    public sealed class Counter
    {
        private int _total;

        public int Add(int by) => Interlocked.Add(ref _total, by);
    }
}
