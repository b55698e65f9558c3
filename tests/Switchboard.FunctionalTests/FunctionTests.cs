using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Switchboard.FunctionalTests;

/// <summary>
/// Remote functions end to end (docs/functions.md, protocol.md §2): a window invokes, the function runs in a worker,
/// and exactly one <c>result</c> answers — refused at dispatch on the socket, or the worker's value or error through
/// the window's topic (so it survives a reconnect).
/// </summary>
public sealed class FunctionTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _markerRan = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SwitchboardHost _host = null!;
    private TestBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await StartAsync();
        _browser = new TestBrowser();
    }

    public async Task DisposeAsync()
    {
        _gate.TrySetResult();
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task InvokeReturnsTheFunctionsValue()
    {
        var window = await _browser.OpenWindowAsync(_host);

        var sum = await window.InvokeAsync("test.add", new { a = 2, b = 3.5 });
        var who = await window.InvokeAsync("test.who");
        var nothing = await window.InvokeAsync("test.nothing");

        Assert.Equal(5.5, sum.GetDouble());
        Assert.Equal(_host.ReadToken(window.Token!).WindowKey, who.GetProperty("windowKey").GetString());
        Assert.Equal(JsonValueKind.Null, nothing.ValueKind);
    }

    [Fact]
    public async Task TheResultIsOneFrameSequencedInTheWindowsTopicAndNothingElseAnswers()
    {
        var window = await _browser.OpenWindowAsync(_host);

        var id = await window.SendInvokeAsync("test.add", new { a = 1, b = 1 });
        var result = await window.NextFrameAsync(f => f.IsResult(id), "result");
        await window.PingAsync();

        Assert.Equal(2, result.GetProperty("value").GetDouble());
        Assert.NotNull(result.Str("signal_id"));
        var windowTopic = DefaultTopicSerializer.WindowTopic(_host.ReadToken(window.Token!).WindowKey!);
        Assert.Equal([TestWindow.TopicId(windowTopic)], result.Pos().Keys);
        Assert.DoesNotContain(window.Received, f => f.Type() is "accepted" or "refused" or "error");
        Assert.Single(window.Received, f => f.IsResult(id));
    }

    [Fact]
    public async Task MapFunctionOnTheEndpointsWorksToo()
    {
        var window = await _browser.OpenWindowAsync(_host);

        Assert.Equal("from endpoints", (await window.InvokeAsync("test.endpoint")).GetString());
    }

    [Fact]
    public async Task InvokesAndCallsShareTheIdCounterAndAnswerInTheirOwnFrames()
    {
        var window = await _browser.OpenWindowAsync(_host);

        var call = await window.CallAsync("test.signal");
        var invokeId = await window.SendInvokeAsync("test.add", new { a = 1, b = 2 });

        call.AssertAccepted();
        Assert.Equal(call.Id + 1, invokeId);
        Assert.Equal(3, (await window.NextFrameAsync(f => f.IsResult(invokeId), "result")).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task HelloListsTheFunctionsThisWindowMayInvoke()
    {
        await using var editor = new TestBrowser();
        await editor.LoginAsync(_host, "ed", "editor");

        var anonymous = await _browser.OpenWindowAsync(_host);
        var editing = await editor.OpenWindowAsync(_host);

        string[] everyone = ["test.add", "test.endpoint", "test.expiring", "test.fail", "test.gated", "test.nothing", "test.who"];
        Assert.Equal(everyone, anonymous.HelloFunctions);
        Assert.Equal([.. everyone.Append("test.editors").Order(StringComparer.Ordinal)], editing.HelloFunctions);
        Assert.Equal(["test.signal"], anonymous.HelloSignals);
        Assert.Equal("ok", (await editing.InvokeAsync("test.editors")).GetString());
    }

    [Theory]
    [InlineData("test.server.only", "forbidden", "This window may not invoke 'test.server.only'.")]
    [InlineData("test.editors", "forbidden", "This window may not invoke 'test.editors'.")]
    [InlineData("test.nobody", "unknown_signal", "No function is registered for 'test.nobody'.")]
    [InlineData("test.signal", "unknown_signal", "'test.signal' is a signal, not a function: use df.call.")]
    [InlineData("not a name", "invalid_signal_name", "'not a name' is not a valid function name.")]
    public async Task RefusalsAreResultsWrittenOnTheSocketWithoutPosition(string function, string code, string message)
    {
        var window = await _browser.OpenWindowAsync(_host);

        var refused = await Assert.ThrowsAsync<InvokeException>(() => window.InvokeAsync(function));

        Assert.Equal(code, refused.Code);
        Assert.Equal(message, refused.ErrorMessage);
        Assert.False(refused.FromWorker);
        Assert.Empty(refused.Frame.Pos());
        Assert.Equal(["error", "id", "type"], refused.Frame.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task KwargsTooLargeAreRefused()
    {
        var window = await _browser.OpenWindowAsync(_host);

        var refused = await Assert.ThrowsAsync<InvokeException>(() => window.InvokeAsync("test.add", new { a = 1, b = 2, pad = new string('x', 2000) }));

        Assert.Equal("kwargs_too_large", refused.Code);
        Assert.False(refused.FromWorker);
    }

    [Fact]
    public async Task CallingAFunctionIsRefusedSayingToInvokeIt()
    {
        var window = await _browser.OpenWindowAsync(_host);

        var message = (await window.CallAsync("test.add", new { a = 1, b = 2 })).AssertRefused("unknown_signal");

        Assert.Equal("'test.add' is a function, not a signal: use df.invoke.", message);
    }

    [Fact]
    public async Task AMalformedInvokeIsABadFrameCarryingItsId()
    {
        var window = await _browser.OpenWindowAsync(_host);

        await window.SendTextAsync("""{"type":"invoke","id":3,"signal":"test.add","opts":[1,2]}""");

        var error = await window.NextFrameAsync(f => f.Type() == "error", "error");
        Assert.Equal("bad_frame", error.Str("code"));
        Assert.Equal(3, error.Id());
    }

    [Fact]
    public async Task SignalExceptionMessageReachesTheWindow()
    {
        var window = await _browser.OpenWindowAsync(_host);

        var failed = await Assert.ThrowsAsync<InvokeException>(() => window.InvokeAsync("test.fail", new { kind = "signal" }));

        Assert.Equal("handler_failed", failed.Code);
        Assert.Equal("nope", failed.ErrorMessage);
        Assert.True(failed.FromWorker);
        Assert.Single(failed.Frame.Pos());
    }

    [Fact]
    public async Task OtherExceptionsReachTheWindowWithAGenericMessage()
    {
        var window = await _browser.OpenWindowAsync(_host);

        var failed = await Assert.ThrowsAsync<InvokeException>(() => window.InvokeAsync("test.fail", new { kind = "crash" }));

        Assert.Equal("handler_failed", failed.Code);
        Assert.Equal("A server handler of 'test.fail' failed.", failed.ErrorMessage);
    }

    [Fact]
    public async Task DetailedErrorsSendTheExceptionMessage()
    {
        await using var host = await StartAsync(s => s.DetailedErrors = true);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        var failed = await Assert.ThrowsAsync<InvokeException>(() => window.InvokeAsync("test.fail", new { kind = "crash" }));

        Assert.Equal("secret database password", failed.ErrorMessage);
    }

    [Theory]
    [InlineData("""{"a":1}""", "Missing required argument \"b\"")]
    [InlineData("""{"a":1,"b":"two"}""", "Invalid value \"two\" for argument \"b\"")]
    [InlineData("""{"a":1,"b":2,"c":3}""", "Invalid argument \"c\"")]
    public async Task ArgumentsThatDoNotBindAreBadArguments(string opts, string says)
    {
        var window = await _browser.OpenWindowAsync(_host);

        var failed = await Assert.ThrowsAsync<InvokeException>(() => window.InvokeAsync("test.add", JsonDocument.Parse(opts).RootElement));

        Assert.Equal("bad_arguments", failed.Code);
        Assert.Contains(says, failed.ErrorMessage, StringComparison.Ordinal);
        Assert.True(failed.FromWorker);
    }

    [Fact]
    public async Task AnInvokeThatCouldNotStartInTimeIsAnsweredExpired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(s => s.ClientTimeout = TimeSpan.FromHours(1), time);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);
        // The one worker is busy, so the expiring invoke waits in the queue while the clock passes its expiry.
        var busy = await window.SendInvokeAsync("test.gated", new { tag = "busy" });
        await _started.Task.DefaultTimeout();
        var expiring = await window.SendInvokeAsync("test.expiring");
        await window.PingAsync(); // the receive loop dispatched (queued) the invoke before it answered the ping

        time.Advance(TimeSpan.FromSeconds(11));
        _gate.SetResult();

        Assert.Equal("busy", (await window.NextFrameAsync(f => f.IsResult(busy), "busy result")).GetProperty("value").GetString());
        var expired = await window.NextFrameAsync(f => f.IsResult(expiring), "expiring result");
        Assert.Equal("expired", expired.GetProperty("error").Str("code"));
        Assert.Equal("'test.expiring' expired before it could start.", expired.GetProperty("error").Str("message"));
    }

    [Fact]
    public async Task InvokesPastTheRateLimitAreRefusedAndShareTheBucketWithCalls()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(s =>
        {
            (s.CallRateLimit.PermitsPerSecond, s.CallRateLimit.Burst, s.CallRateLimit.CloseAfterRefusals) = (1, 2, 10);
            s.ClientTimeout = TimeSpan.FromHours(1);
        }, time);
        await using var browser = new TestBrowser();
        var window = await browser.OpenWindowAsync(host);

        (await window.CallAsync("test.signal")).AssertAccepted();
        Assert.Equal(2, (await window.InvokeAsync("test.add", new { a = 1, b = 1 })).GetDouble());
        var limited = await Assert.ThrowsAsync<InvokeException>(() => window.InvokeAsync("test.add", new { a = 1, b = 1 }));

        Assert.Equal("rate_limited", limited.Code);
        Assert.Contains("burst 2", limited.ErrorMessage, StringComparison.Ordinal);
        Assert.False(limited.FromWorker);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, (await window.InvokeAsync("test.add", new { a = 2, b = 2 })).GetDouble());
    }

    [Fact]
    public async Task AResultPublishedWhileTheWindowIsDisconnectedIsReplayedOnceAfterItsReconnect()
    {
        var token = await _browser.LoadPageAsync(_host);
        var first = await _browser.ConnectAsync(_host);
        await first.HandshakeAsync(token);
        var id = await first.SendInvokeAsync("test.gated", new { tag = "while away" });
        await _started.Task.DefaultTimeout();
        var resume = first.Positions;
        first.Abort();

        _gate.SetResult();
        await RunMarkerAsync(_host, _host.ReadToken(token)); // one worker: the function ran and answered before the marker

        var second = await _browser.ConnectAsync(_host);
        var hello = await second.HandshakeAsync(token, resume);
        await second.PingAsync();

        var replayed = Assert.Single(Positions.BeforeHello(second.Received));
        Assert.True(replayed.IsResult(id));
        Assert.Equal("while away", replayed.GetProperty("value").GetString());
        Assert.True(hello.Recovered());
        Assert.Single(second.Received, f => f.IsResult(id));
        Assert.DoesNotContain(first.Received, f => f.IsResult(id));
    }

    [Fact]
    public async Task TheResultOfAWindowThatLeftIsDroppedWithoutComplaint()
    {
        var logs = new FakeLogCollector();
        await using var host = await StartAsync(logs: logs);
        await using var browser = new TestBrowser();
        var token = await browser.LoadPageAsync(host);
        var window = await browser.ConnectAsync(host);
        await window.HandshakeAsync(token);
        await window.SendInvokeAsync("test.gated", new { tag = "nobody there" });
        await _started.Task.DefaultTimeout();

        await window.CloseAsync();
        _gate.SetResult();
        await RunMarkerAsync(host, host.ReadToken(token));

        var complaints = logs.GetSnapshot().Where(r => r.Level >= LogLevel.Warning && r.Category?.StartsWith("Switchboard", StringComparison.Ordinal) == true)
            .Select(r => $"{r.Level} {r.Id.Name}: {r.Message}").ToList();
        Assert.Empty(complaints);
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Name == "WindowDisconnected");
    }

    /// <summary>Runs the server-side marker job and waits for it: every job queued before it on the one worker has finished.</summary>
    private async Task RunMarkerAsync(SwitchboardHost host, WindowInfo window)
    {
        await host.Signals.CallAsync(window, "test.marker", to: [Destination.Server]);
        await _markerRan.Task.DefaultTimeout();
    }

    private Task<SwitchboardHost> StartAsync(Action<SwitchboardOptions>? options = null, TimeProvider? time = null, FakeLogCollector? logs = null) =>
        SwitchboardHost.StartAsync(o =>
        {
            o.Time = time;
            o.Switchboard = s =>
            {
                (s.Workers.Count, s.MaxKwargsBytes) = (1, 1024);
                options?.Invoke(s);
            };
            if (logs is not null)
            {
                o.Services = services =>
                {
                    services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs));
                    services.Configure<LoggerFilterOptions>(f => f.MinLevel = LogLevel.Debug);
                };
            }
            o.Signals = s =>
            {
                s.MapFunction("test.add", (WindowInfo w, double a, double b) => a + b).AllowEveryone();
                s.MapFunction("test.who", (WindowInfo w) => new { w.WindowKey, w.UserName }).AllowEveryone();
                s.MapFunction("test.nothing", (WindowInfo w) => { }).AllowEveryone();
                s.MapFunction("test.editors", (WindowInfo w) => "ok").RequirePolicy(SwitchboardHost.EditorsPolicy);
                s.MapFunction("test.server.only", (WindowInfo w) => 1);
                s.MapFunction("test.fail", int (WindowInfo w, string kind) =>
                    throw (kind == "signal" ? new SignalException("nope") : new InvalidOperationException("secret database password"))).AllowEveryone();
                s.MapFunction("test.gated", async (WindowInfo w, string tag) =>
                {
                    _started.TrySetResult();
                    await _gate.Task;
                    return tag;
                }).AllowEveryone();
                s.MapFunction("test.expiring", (WindowInfo w) => "ran").ExpiresAfter(TimeSpan.FromSeconds(10)).AllowEveryone();
                s.MapSignal("test.signal", (WindowInfo w) => { }).AllowEveryone();
                s.MapSignal("test.marker", (WindowInfo w) => _markerRan.TrySetResult());
            };
            o.Endpoints = app => app.MapFunction("test.endpoint", (WindowInfo w) => "from endpoints").AllowEveryone();
        });
}
