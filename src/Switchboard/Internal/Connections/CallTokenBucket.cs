namespace Switchboard.Internal.Connections;

/// <summary>
/// A window's token bucket for browser calls (<see cref="CallRateLimitOptions"/>). A mutable struct held in the
/// connection's field, so an idle window pays no extra object for it; only the receive loop touches it.
/// </summary>
internal struct CallTokenBucket
{
    private double _tokens;
    private long _at;
    private bool _started;

    /// <summary>Refused calls in a row; reset by an allowed call.</summary>
    public int RefusedInARow { get; private set; }

    /// <summary>True when a call may go through now (and takes its token).</summary>
    public bool TryTake(CallRateLimitOptions limit, TimeProvider time)
    {
        var now = time.GetTimestamp();
        if (!_started)
        {
            _started = true;
            _tokens = limit.Burst;
        }
        else
        {
            var refill = time.GetElapsedTime(_at, now).TotalSeconds * limit.PermitsPerSecond;
            _tokens = Math.Min(limit.Burst, _tokens + refill);
        }
        _at = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            RefusedInARow = 0;
            return true;
        }
        RefusedInARow++;
        return false;
    }
}
