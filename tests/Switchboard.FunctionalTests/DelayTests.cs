using Microsoft.Extensions.Time.Testing;

namespace Switchboard.FunctionalTests;

/// <summary>countdown / eta delay both server jobs and browser messages; expires drops what could not start in time.</summary>
public sealed class DelayTests : IAsyncLifetime
{
    private static readonly TimeSpan Countdown = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private int _jobRuns;
    private SwitchboardHost _host = null!;
    private TestBrowser _browser = null!;
    private TestWindow _window = null!;
    private WindowInfo _info = null!;

    public async Task InitializeAsync()
    {
        _host = await SwitchboardHost.StartAsync(o =>
        {
            o.Time = _time;
            // One worker per queue: jobs released together run in due order. No heartbeat closes while time jumps.
            o.Switchboard = s => (s.Workers.Count, s.ClientTimeout) = (1, TimeSpan.FromHours(1));
            o.Signals = s =>
            {
                s.MapSignal("test.job", (WindowInfo w, ISignals signals, string tag) =>
                {
                    Interlocked.Increment(ref _jobRuns);
                    return signals.CallAsync(w, "test.job.ran", [Destination.Window], new { tag });
                });
                s.MapSignal("test.marker", (WindowInfo w, ISignals signals) => signals.CallAsync(w, "test.marker.ran", [Destination.Window]));
            };
        });
        _browser = new TestBrowser();
        _window = await _browser.OpenWindowAsync(_host);
        _info = _host.ReadToken(_window.Token!);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task DelayedBrowserMessageArrivesOnlyAfterTheCountdown()
    {
        await _host.Signals.CallAsync(_info, "test.later", to: [Destination.Window], kwargs: new { n = 1 }, countdown: Countdown);

        await _window.PingAsync();
        _time.Advance(Countdown - TimeSpan.FromSeconds(1));
        await _window.PingAsync();
        Assert.DoesNotContain(_window.Received, f => f.IsSignal("test.later"));

        _time.Advance(TimeSpan.FromSeconds(1));

        var later = await _window.NextSignalAsync("test.later");
        Assert.Equal(1, later.Opts().GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task DelayedServerJobRunsOnlyAfterTheCountdownAndItsBrowserMessageWaitsToo()
    {
        await _host.Signals.CallAsync(_info, "test.job", to: [Destination.Server, Destination.Window], kwargs: new { tag = "late" }, countdown: Countdown);
        await _host.Signals.CallAsync(_info, "test.marker", to: [Destination.Server]);

        // The marker job was queued after the delayed one and has run: the delayed one was held back.
        await _window.NextSignalAsync("test.marker.ran");
        await _window.PingAsync();
        Assert.Equal(0, _jobRuns);
        Assert.DoesNotContain(_window.Received, f => f.IsSignal("test.job") || f.IsSignal("test.job.ran"));

        _time.Advance(Countdown);

        await _window.NextSignalAsync("test.job.ran");
        await _window.NextSignalAsync("test.job");
        Assert.Equal(1, _jobRuns);
    }

    [Fact]
    public async Task EtaDelaysUntilThatTime()
    {
        var eta = _time.GetUtcNow() + TimeSpan.FromMinutes(5);
        await _host.Signals.CallAsync(_info, "test.job", to: [Destination.Server, Destination.Window], kwargs: new { tag = "eta" }, eta: eta);

        _time.Advance(TimeSpan.FromMinutes(4));
        await _host.Signals.CallAsync(_info, "test.marker", to: [Destination.Server]);
        await _window.NextSignalAsync("test.marker.ran");
        Assert.Equal(0, _jobRuns);

        _time.Advance(TimeSpan.FromMinutes(1));

        await _window.NextSignalAsync("test.job.ran");
        await _window.NextSignalAsync("test.job");
    }

    [Fact]
    public async Task DelayedBrowserMessageThatExpiredBeforeDeliveryIsDropped()
    {
        var now = _time.GetUtcNow();
        await _host.Signals.CallAsync(_info, "test.expiring", to: [Destination.Window], countdown: Countdown, expires: now + TimeSpan.FromSeconds(10));
        await _host.Signals.CallAsync(_info, "test.later", to: [Destination.Window], countdown: Countdown + TimeSpan.FromSeconds(1));

        _time.Advance(Countdown + TimeSpan.FromSeconds(1));

        // Both were released in due order to one delivery worker: the expired one was handled first.
        await _window.NextSignalAsync("test.later");
        await _window.PingAsync();
        Assert.DoesNotContain(_window.Received, f => f.IsSignal("test.expiring"));
    }

    [Fact]
    public async Task DelayedServerJobThatExpiredBeforeItCouldStartIsDropped()
    {
        var now = _time.GetUtcNow();
        await _host.Signals.CallAsync(_info, "test.job", to: [Destination.Server], kwargs: new { tag = "expired" }, countdown: Countdown, expires: now + TimeSpan.FromSeconds(10));
        await _host.Signals.CallAsync(_info, "test.marker", to: [Destination.Server], countdown: Countdown + TimeSpan.FromSeconds(1));

        _time.Advance(Countdown + TimeSpan.FromSeconds(1));

        await _window.NextSignalAsync("test.marker.ran");
        await _window.PingAsync();
        Assert.Equal(0, _jobRuns);
        Assert.DoesNotContain(_window.Received, f => f.IsSignal("test.job.ran") || f.Type() == "error");
    }

    [Fact]
    public async Task CallWhoseExpiryHasAlreadyPassedSendsNothing()
    {
        await _host.Signals.CallAsync(_info, "test.job", to: [Destination.Server, Destination.Window], kwargs: new { tag = "past" },
            expires: _time.GetUtcNow() - TimeSpan.FromSeconds(1));
        await _host.Signals.CallAsync(_info, "test.marker", to: [Destination.Server]);

        await _window.NextSignalAsync("test.marker.ran");
        await _window.PingAsync();
        Assert.Equal(0, _jobRuns);
        Assert.DoesNotContain(_window.Received, f => f.IsSignal("test.job"));
    }

    [Fact]
    public async Task UnexpiredCallWithoutDelayIsDeliveredAtOnce()
    {
        await _host.Signals.CallAsync(_info, "test.now", to: [Destination.Window], expires: _time.GetUtcNow() + TimeSpan.FromSeconds(5));

        await _window.NextSignalAsync("test.now");
    }
}
