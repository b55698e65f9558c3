using Microsoft.Extensions.Time.Testing;
using Switchboard.Internal.Connections;

namespace Switchboard.Tests.Connections;

/// <summary>The per-window token bucket of browser calls (TryTakeCallPermit): burst, refill, cap, refusals in a row.</summary>
public sealed class CallRateLimitBucketTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private static WindowConnection Window() =>
        TestSupport.RecordingWire.Window("w", []);

    private static CallRateLimitOptions Limit(double perSecond, int burst) => new() { PermitsPerSecond = perSecond, Burst = burst };

    private int Take(WindowConnection window, CallRateLimitOptions limit, int attempts) =>
        Enumerable.Range(0, attempts).Count(_ => window.TryTakeCallPermit(limit, _time));

    [Fact]
    public void ANewWindowMayCallBurstTimesAtOnce()
    {
        var window = Window();
        var limit = Limit(2, 5);

        Assert.Equal(5, Take(window, limit, 10));
        Assert.Equal(5, window.RateLimitedInARow);
    }

    [Fact]
    public void TokensRefillAtPermitsPerSecondIncludingFractions()
    {
        var window = Window();
        var limit = Limit(2, 3);
        Take(window, limit, 3);

        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.False(window.TryTakeCallPermit(limit, _time));
        // Half a token from before the refused call is kept: 250 ms more make one.
        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.True(window.TryTakeCallPermit(limit, _time));
        Assert.False(window.TryTakeCallPermit(limit, _time));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, Take(window, limit, 5));
    }

    [Fact]
    public void AnIdleWindowRefillsToBurstAndNoMore()
    {
        var window = Window();
        var limit = Limit(10, 4);
        Take(window, limit, 4);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(4, Take(window, limit, 100));
    }

    [Fact]
    public void SlowRatesAllowOneCallPerPeriod()
    {
        var window = Window();
        var limit = Limit(0.5, 1);
        Assert.True(window.TryTakeCallPermit(limit, _time));

        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(window.TryTakeCallPermit(limit, _time));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(window.TryTakeCallPermit(limit, _time));
    }

    [Fact]
    public void SustainedCallsAtTheRateAreAllAllowed()
    {
        var window = Window();
        var limit = Limit(20, 1);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(window.TryTakeCallPermit(limit, _time), $"call {i}");
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }
        Assert.Equal(0, window.RateLimitedInARow);
    }

    [Fact]
    public void RefusalsInARowCountUntilACallIsAllowed()
    {
        var window = Window();
        var limit = Limit(1, 1);
        window.TryTakeCallPermit(limit, _time);

        Take(window, limit, 3);
        Assert.Equal(3, window.RateLimitedInARow);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(window.TryTakeCallPermit(limit, _time));
        Assert.Equal(0, window.RateLimitedInARow);
        Assert.False(window.TryTakeCallPermit(limit, _time));
        Assert.Equal(1, window.RateLimitedInARow);
    }

    [Fact]
    public void EachWindowHasItsOwnBucket()
    {
        var (a, b) = (Window(), Window());
        var limit = Limit(1, 2);

        Assert.Equal(2, Take(a, limit, 5));
        Assert.Equal(2, Take(b, limit, 5));
    }
}
